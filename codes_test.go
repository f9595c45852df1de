package connectkit_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

// wireReasons returns the reasons of a decision as its JSON carries them.
func wireReasons(t *testing.T, d json.Marshaler) []struct{ Code, Rule string } {
	t.Helper()
	b, err := d.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var w struct {
		Reasons []struct{ Code, Rule string }
	}
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatal(err)
	}
	return w.Reasons
}

// One code per idea, in every package (issue 15): a refusal by the roles
// is "role_not_permitted" under the rule of the action that gated (as
// roles.Decision gives it), and nothing else ends in "_not_permitted"; a
// missing payout account has one code in account and in links.
func TestCodes_P1_OneCodePerIdea(t *testing.T) {
	pol := roles.Default()
	nobody := roles.NewSet(roles.ViewOnly)
	now := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	a := account.NewCustom("acct_1", "US")
	link := links.RemediationLink{Account: "acct_1", Created: now, Pending: 1}
	fca := relink.Account{ID: "fca_1", Status: relink.AccountInactive}
	ask := relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "user_1", Roles: nobody}}
	cases := []struct {
		name string
		d    json.Marshaler
		rule string
	}{
		{"account send_funds", account.CanSendFunds(pol, nobody, account.Platform{Country: "US"}, a, account.Money{}, account.ToBalance), "A7"},
		{"account remove", account.CanRemove(pol, nobody, a), "A6"},
		{"links generate", links.CanGenerateRemediationLink(pol, nobody, a), "L7"},
		{"links reset", link.CanReset(pol, nobody, now), "L10"},
		{"links acknowledge", link.CanAcknowledge(pol, nobody, now), "L10"},
		{"relink request", relink.CanRequest(pol, ask, fca, relink.Limit{}, nil, now), "K3"},
	}
	for _, c := range cases {
		found := false
		for _, r := range wireReasons(t, c.d) {
			if r.Code == "role_not_permitted" {
				found = true
				if r.Rule != c.rule {
					t.Errorf("%s: role_not_permitted under rule %s, want the action's %s", c.name, r.Rule, c.rule)
				}
			} else if strings.HasSuffix(r.Code, "_not_permitted") || strings.HasPrefix(r.Code, "role_") {
				t.Errorf("%s: role refusal coded %q, want role_not_permitted", c.name, r.Code)
			}
		}
		if !found {
			t.Errorf("%s: no role_not_permitted reason in %v", c.name, wireReasons(t, c.d))
		}
	}
	// A missing payout account.
	acctCode := account.CanSendFunds(pol, roles.NewSet(roles.Admin), account.Platform{Country: "US"}, a, account.Money{}, account.ToExternalAccount)
	linksCode := links.CanGenerateRemediationLink(pol, roles.NewSet(roles.Admin), a)
	codes := map[string]bool{}
	for _, d := range []json.Marshaler{acctCode, linksCode} {
		for _, r := range wireReasons(t, d) {
			if strings.Contains(r.Code, "external_account") {
				codes[r.Code] = true
			}
		}
	}
	if len(codes) != 1 {
		t.Errorf("a missing payout account has codes %v in account and links, want one", codes)
	}
}
