package connectkit_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock"
	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/roles"
)

// Example_quickStart is the README's quick start, line for line (see
// TestREADME_GoSnippetsAreCompiled): a refused remediation link returns
// before a token is read, and a granted one sends its token.
func Example_quickStart() {
	ctx := context.Background()
	accounts := &account.Service{Store: account.NewMemoryStore(), Clock: clock.System{}}
	linkSvc := &links.Service{
		Store:    links.NewMemoryStore(),
		Accounts: accounts.Store, // a removed account gets no links (A6)
		Clock:    clock.System{},
		// nil Policy is roles.Default(); nil Rand is crypto/rand.
	}

	send := func(token string) { fmt.Println("send a token of", len(token), "characters") }
	refuse := func(k errkind.Kind, d links.Decision) error {
		fmt.Println("refused:", k, d.Reasons.Codes())
		return nil
	}
	remediate := func(ctx context.Context) error {
		agent := roles.User{ID: "agent-7", Roles: roles.NewSet(roles.SupportSpecialist)}
		acct, err := accounts.Store.Get(ctx, "acct_123")
		if err != nil {
			return err // errkind.Of(err) is errkind.NotFound for an unknown account
		}
		issued, err := linkSvc.GenerateRemediationLink(ctx, agent, acct)
		var refused *links.DecisionError
		switch {
		case errors.As(err, &refused):
			// Refused, and nothing was stored or sent. errkind.Of(err) is Denied
			// (the roles, L7) or NotEligible (the account, L6/L8); the decision
			// lists every reason with its code and rule, and renders as JSON.
			return refuse(errkind.Of(err), refused.Decision)
		case err != nil:
			return err // invalid input, or a storage fault (errkind.OutcomeUnknown)
		}
		send(issued.Token.Reveal()) // the only way to read a token: it never prints
		return nil
	}

	err := remediate(ctx)
	fmt.Println("unknown account:", errkind.Of(err))
	acct := account.NewCustom("acct_123", "US")
	if _, err := accounts.Store.Create(ctx, acct); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(remediate(ctx)) // no owner confirmed, no representative, no payout account
	acct, _ = accounts.Store.Get(ctx, "acct_123")
	acct.OwnerConfirmed, acct.HasExternalAccount = true, true
	acct.Representative = account.NewRepresentative("Pat Plumber", account.Date{Year: 1980, Month: 5, Day: 17}, "")
	if _, err := accounts.Store.Update(ctx, acct, acct.Version); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(remediate(ctx))

	d := roles.Check(roles.NewSet(roles.Developer), roles.SendFunds) // allocation-free
	fmt.Println(d.Allowed, d.Reason().Code(), d)                     // false role_not_permitted Developer may not send funds … (A7: …)
	// Output:
	// unknown account: not_found
	// refused: not_eligible [owner_not_set representative_name_missing representative_dob_missing external_account_missing]
	// <nil>
	// send a token of 47 characters
	// <nil>
	// false role_not_permitted Developer may not send funds to connected accounts (A7: allowed to Account owner, Super Administrator, Administrator)
}

// TestREADME_GoSnippetsAreCompiled fails when a Go snippet of README.md is
// not, line for line (indentation aside), part of a compiled Go file:
// Example_quickStart here, or the policytest example the README shows.
func TestREADME_GoSnippetsAreCompiled(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var compiled []string
	for _, f := range []string{"readme_example_test.go", "examples/policytest/readme_test.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		compiled = append(compiled, lines(string(b)))
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) < 4 {
		t.Fatalf("found %d Go blocks in README.md", len(blocks))
	}
	for _, b := range blocks {
		code := b[1]
		if strings.HasPrefix(code, "import (") {
			// The imports must be real packages that the example uses.
			for _, imp := range regexp.MustCompile(`"([^"]+)"`).FindAllStringSubmatch(code, -1) {
				if !strings.Contains(compiled[0], "\""+imp[1]+"\"") {
					t.Errorf("README imports %s, which Example_quickStart does not", imp[1])
				}
			}
			continue
		}
		found := false
		for _, c := range compiled {
			found = found || strings.Contains(c, lines(code))
		}
		if !found {
			t.Errorf("README snippet is not in a compiled file:\n%s", code)
		}
	}
}

// lines trims every line and drops blank ones, so that indentation does
// not matter.
func lines(s string) string {
	var out []string
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n") + "\n"
}
