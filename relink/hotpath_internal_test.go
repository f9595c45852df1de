package relink

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// TestValidText_MatchesDefinition checks the one-pass validText against
// its definition (valid UTF-8, no NUL, at most max bytes) on any bytes,
// so that the fast path never lets bad input into a Store.
func TestValidText_MatchesDefinition(t *testing.T) {
	ref := func(s string, max int) bool {
		return len(s) <= max && utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
	}
	for _, s := range []string{"", "a", "fca_1234567", "fca_12345678", "fca_1234567\x00", "\x00fca_1234567", "jenny@example.com\xff", "jénny@example.com", "\xc3", strings.Repeat("a", 65)} {
		for _, max := range []int{0, 8, 64, 256} {
			if got, want := validText(s, max), ref(s, max); got != want {
				t.Errorf("validText(%q, %d) = %v, want %v", s, max, got, want)
			}
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		b := rapid.SliceOfN(rapid.SampledFrom([]byte{0, 'a', 'Z', 0x7f, 0x80, 0xc3, 0xa9, 0xe2, 0xff}), 0, 40).Draw(t, "s")
		max := rapid.IntRange(0, 48).Draw(t, "max")
		if got, want := validText(string(b), max), ref(string(b), max); got != want {
			t.Fatalf("validText(%q, %d) = %v, want %v", b, max, got, want)
		}
	})
}

// TestSameRefusal_ComparesEveryField keeps sameRefusal, the refusal
// cache's equality, in step with Decision: a field added to Decision must
// be added there too, or identical-looking refusals would share an error
// that says something else.
func TestSameRefusal_ComparesEveryField(t *testing.T) {
	if n := reflect.TypeFor[Decision]().NumField(); n != 8 {
		t.Fatalf("Decision has %d fields; sameRefusal compares 8: update it", n)
	}
	base := Decision{Account: "fca_1", Method: MethodHostedAPI, Reasons: ReasonsOf(ReasonRateLimited), NextPossibleAt: time.Unix(1, 0)}
	for name, change := range map[string]func(*Decision){
		"account":          func(d *Decision) { d.Account = "fca_2" },
		"method":           func(d *Decision) { d.Method = MethodHostedDashboard },
		"allowed":          func(d *Decision) { d.Allowed = true },
		"reasons":          func(d *Decision) { d.Reasons = d.Reasons.With(ReasonNoEmail) },
		"next_possible_at": func(d *Decision) { d.NextPossibleAt = time.Unix(2, 0) },
		"role":             func(d *Decision) { d.Role.Allowed = true },
		"relink_required":  func(d *Decision) { d.RelinkRequired = true },
		"deadline":         func(d *Decision) { d.Deadline = TimestampOf(time.Unix(3, 0)) },
	} {
		d := base
		change(&d)
		if sameRefusal(&base, &d) || !sameRefusal(&d, &d) {
			t.Errorf("%s: sameRefusal does not tell the decisions apart", name)
		}
	}
}
