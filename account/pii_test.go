package account_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/account/accounttest"
	"github.com/google/go-cmp/cmp"
)

// piiSecrets are what secretAccount holds that no printer may show: the
// email (and its local part), the representative's name, date of birth
// and SSN last 4.
var piiSecrets = []string{"jane@example.com", "jane@", "Jane", "Doe", "1984", "6789", "July", "Day\":29", "Day:29"}

func piiLeaks(out string) []string {
	out = addresses.ReplaceAllString(out, "ADDR")
	var found []string
	for _, s := range piiSecrets {
		if strings.Contains(out, s) {
			found = append(found, s)
		}
	}
	return found
}

// holders puts an account one level down in every shape a caller might
// log or print it: a slice, a map, an exported and an unexported struct
// field, a pointer.
func holders(a account.Account) map[string]any {
	type exported struct{ Acct account.Account }
	type unexported struct{ acct account.Account }
	type info struct{ in account.Info }
	return map[string]any{
		"slice":             []account.Account{a},
		"map":               map[string]account.Account{"a": a},
		"exported field":    exported{a},
		"unexported field":  unexported{a},
		"*unexported field": &unexported{a},
		"receipt":           account.Receipt{Account: a},
		"unexported info":   info{account.Info{Email: a.Email, Representative: a.Representative}},
	}
}

// Issue 18 item 6, one level down: an Account in a slice, a map or a
// struct field went through Account.MarshalJSON — the storage form — in
// slog's JSON handler and encoding/json, writing the email and the
// representative's values; %+v on an unexported Account field printed the
// email. Every printer now redacts; only MarshalStorage carries them.
func TestAccount_A1_NestedPrintersAreRedacted(t *testing.T) {
	a := secretAccount()
	for name, v := range holders(a) {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d"} {
			if out := fmt.Sprintf(verb, v); piiLeaks(out) != nil {
				t.Errorf("%s %s shows %q:\n%s", name, verb, piiLeaks(out), out)
			}
		}
		if b, err := json.Marshal(v); err != nil || piiLeaks(string(b)) != nil {
			t.Errorf("json.Marshal(%s) = %v, shows %q:\n%s", name, err, piiLeaks(string(b)), b)
		}
		for hname, mk := range map[string]func(*bytes.Buffer) slog.Handler{
			"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
			"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		} {
			var buf bytes.Buffer
			slog.New(mk(&buf)).Info("nested", slog.Any("x", v))
			if piiLeaks(buf.String()) != nil {
				t.Errorf("slog %s handler, %s, shows %q:\n%s", hname, name, piiLeaks(buf.String()), buf.String())
			}
		}
	}
}

// cmp.Diff of two accounts that differ in the email reports the
// difference without printing either address.
func TestAccount_A1_CmpDiffDoesNotPrintEmail(t *testing.T) {
	a := secretAccount()
	b := a.Clone()
	setEmail(&b, "other@example.com")
	d := cmp.Diff(a, b, accounttest.CmpOptions())
	if d == "" {
		t.Fatal("cmp.Diff found no difference between two emails")
	}
	if piiLeaks(d) != nil || strings.Contains(d, "other@") {
		t.Errorf("cmp.Diff shows %q:\n%s", piiLeaks(d), d)
	}
}

func setEmail(a *account.Account, e string) { a.Email = account.NewEmail(e) }
