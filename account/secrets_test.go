package account_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

var secrets = []string{"1984", "6789", "Jane", "Doe", "jane@example.com", "jane@"}

func secretAccount() account.Account {
	a := custom("acct_1")
	a.Representative = account.NewRepresentative("Jane Doe", account.Date{Year: 1984, Month: time.July, Day: 29}, "6789")
	a.Email = account.NewEmail("jane@example.com")
	return a
}

func checkNoSecrets(t *testing.T, what, out string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("%s contains %q:\n%s", what, s, out)
		}
	}
}

// Issue 18, item 6: %d on Account printed the email; every verb now
// prints the redacted String, on the value, through a pointer and in an
// exported field of a caller's struct.
func TestAccount_A1_EveryVerbIsRedacted(t *testing.T) {
	a := secretAccount()
	type holder struct{ Acct account.Account }
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%X", "%q", "%o", "%b", "%e", "%10.3f"} {
		checkNoSecrets(t, "Account "+verb, fmt.Sprintf(verb, a))
		checkNoSecrets(t, "*Account "+verb, fmt.Sprintf(verb, &a))
		checkNoSecrets(t, "holder "+verb, fmt.Sprintf(verb, holder{a}))
	}
}

// slog with a JSON (or text) handler wrote the representative's SSN last
// 4, date of birth, name and email: Account and Representative are
// slog.LogValuers.
func TestAccount_A1_SlogHandlersAreRedacted(t *testing.T) {
	a := secretAccount()
	for name, mk := range map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		log := slog.New(mk(&buf))
		log.Info("account", "acct", a, "rep", a.Representative, "ptr", &a)
		log.Info("group", slog.Group("g", slog.Any("acct", a), slog.Any("rep", a.Representative)))
		checkNoSecrets(t, name+" handler", buf.String())
		if !strings.Contains(buf.String(), "acct_1") {
			t.Errorf("%s handler lost the account ID:\n%s", name, buf.String())
		}
	}
}

// repSecrets are the representative's values: name, date of birth, SSN
// last 4.
var repSecrets = []string{"1984", "6789", "Jane", "Doe", "Day:29", "Day\":29", "July"}

// addresses are what fmt prints for a func or a pointer: hexadecimal, or
// decimal under %d. They are dropped before looking for the secrets, which
// they could contain by chance.
var addresses = regexp.MustCompile(`0x[0-9a-f]+|[0-9]{7,}|[0-9a-f]{10,}`)

func leaks(out string) []string {
	out = addresses.ReplaceAllString(out, "ADDR")
	var found []string
	for _, s := range repSecrets {
		if strings.Contains(out, s) {
			found = append(found, s)
		}
	}
	return found
}

// Issue 18, item 6: fmt cannot call Format on a value held in an
// unexported field, so it printed the representative's fields; they now
// live in a closure, which every printer shows only as an address.
func TestRepresentative_L8_L10_UnreachableByReflection(t *testing.T) {
	a := secretAccount()
	type holder struct {
		acct account.Account
		rep  account.Representative
		ptr  *account.Account
		info account.Info
	}
	h := holder{acct: a, rep: a.Representative, ptr: &a, info: account.Info{Representative: a.Representative}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%q", "%x"} {
		for name, v := range map[string]any{"holder": h, "*holder": &h} {
			if out := fmt.Sprintf(verb, v); leaks(out) != nil {
				t.Errorf("%s %s contains %q:\n%s", name, verb, leaks(out), out)
			}
		}
	}
	for name, mk := range map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(mk(&buf)).Info("held", "h", h, "info", h.info, "rep", &h.rep, "infos", []account.Info{h.info})
		if leaks(buf.String()) != nil {
			t.Errorf("%s handler contains %q:\n%s", name, leaks(buf.String()), buf.String())
		}
	}
}

// cmp.Diff of two accounts that differ only in the SSN digits reports a
// difference (Representative.Equal) and prints neither value.
func TestRepresentative_L10_CmpDiffReportsButDoesNotPrint(t *testing.T) {
	a := secretAccount()
	b := a.Clone()
	b.Representative = b.Representative.WithSSNLast4("1234")
	d := cmp.Diff(a, b, cmp.Comparer(func(x, y decimal.Decimal) bool { return x.Equal(y) }))
	if d == "" {
		t.Fatal("cmp.Diff found no difference between SSN last 4 6789 and 1234")
	}
	if leaks(d) != nil || strings.Contains(d, "1234") {
		t.Errorf("cmp.Diff contains %q:\n%s", leaks(d), d)
	}
	if diff := cmp.Diff(a, a.Clone(), cmp.Comparer(func(x, y decimal.Decimal) bool { return x.Equal(y) })); diff != "" {
		t.Errorf("a clone differs:\n%s", diff)
	}
	if r := a.Representative; r.FullName() != "Jane Doe" || r.SSNLast4() != "6789" || r.DOB() != (account.Date{Year: 1984, Month: time.July, Day: 29}) {
		t.Errorf("accessors: %q %q %v", r.FullName(), r.SSNLast4(), r.DOB())
	}
	if !account.NewRepresentative("", account.Date{}, "").IsZero() || a.Representative.IsZero() {
		t.Error("IsZero")
	}
}
