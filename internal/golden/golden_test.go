package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records failures instead of stopping.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Errorf(f string, a ...any) { r.failed = fmt.Sprintf(f, a...) }
func (r *recorder) Fatalf(f string, a ...any) { r.failed = fmt.Sprintf(f, a...) }

func TestJSON_UpdateWritesThenMismatchFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.golden")
	r := &recorder{TB: t}
	Check(r, path, []byte("x\n"), false)
	if r.failed == "" {
		t.Fatal("a missing golden file passed")
	}
	r = &recorder{TB: t}
	got := JSON(r, path, map[string]int{"a": 1}, true)
	if b, _ := os.ReadFile(path); r.failed != "" || string(b) != "{\n  \"a\": 1\n}\n" || string(got) != string(b) {
		t.Fatalf("-update wrote %q, returned %q, failed %q", b, got, r.failed)
	}
	JSON(r, path, map[string]int{"a": 2}, false)
	if r.failed == "" {
		t.Fatal("a differing value passed")
	}
}
