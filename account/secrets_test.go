package account_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
)

var secrets = []string{"1984", "6789", "Jane", "Doe", "jane@example.com", "jane@"}

func secretAccount() account.Account {
	a := custom("acct_1")
	a.Representative = account.NewRepresentative("Jane Doe", account.Date{Year: 1984, Month: time.July, Day: 29}, "6789")
	a.Email = "jane@example.com"
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
