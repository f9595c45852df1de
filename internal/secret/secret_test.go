package secret_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/connectkit/connectkit/internal/secret"
	"github.com/google/go-cmp/cmp"
)

type holder struct {
	s secret.Value[string]
}

func TestValue_ReflectionCannotReachIt(t *testing.T) {
	h := holder{s: secret.New("hunter2")}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		if out := fmt.Sprintf(verb, h); strings.Contains(out, "hunter2") || strings.Contains(out, fmt.Sprintf("%x", "hunter2")) {
			t.Errorf("%s printed the secret: %s", verb, out)
		}
	}
	if got := h.s.Get(); got != "hunter2" {
		t.Errorf("Get = %q", got)
	}
	var zero secret.Value[int]
	if !zero.IsZero() || zero.Get() != 0 || secret.New(0).IsZero() {
		t.Error("zero Value")
	}
	// go-cmp cannot compare it without help: the holder of a Value gives
	// it an Equal method (see account.Representative).
	d := cmp.Diff(h, holder{s: secret.New("other")}, cmp.Comparer(func(a, b secret.Value[string]) bool { return a.Get() == b.Get() }),
		cmp.AllowUnexported(holder{}))
	if d == "" || strings.Contains(d, "hunter2") || strings.Contains(d, "other") {
		t.Errorf("cmp.Diff:\n%s", d)
	}
}
