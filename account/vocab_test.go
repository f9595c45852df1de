package account_test

import (
	"encoding/json"
	"errors"
	"flag"
	"path/filepath"
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/internal/golden"
	"github.com/connectkit/connectkit/roles"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func roundTrip(t *testing.T, d account.Decision) {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatalf("Marshal(%v): %v", d, err)
	}
	var back account.Decision
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b, err)
	}
	if diff := cmp.Diff(d, back); diff != "" {
		t.Fatalf("round trip of %s (-want +got):\n%s", b, diff)
	}
}

// Every reason, alone and denied by a role too, and every operation
// allowed, marshal to the one decision shape and back, equal.
func TestDecision_JSONRoundTripsEveryReason(t *testing.T) {
	pol := roles.Default()
	for r := account.Reason(1); r.Valid(); r++ {
		for _, held := range []roles.Set{admin, viewer} {
			// A real decision for the reason's operation, with the reason
			// added: the shape does not check which reasons go together.
			d := account.CanViewSupportCases(pol, held, custom("acct_1"))
			d.Reasons = d.Reasons.With(r)
			d.Allowed = false
			t.Run(r.Code()+"/"+held.String(), func(t *testing.T) { roundTrip(t, d) })
		}
	}
	for _, d := range []account.Decision{
		{},
		account.CanCreate(pol, dev, usPlatform(), custom("acct_1")),
		account.CanCreate(pol, viewer, usPlatform(), account.NewExpress("acct_1", "US")),
		account.CanRemove(pol, admin, account.NewStandard("acct_1", "US")),
		account.CanSendFunds(pol, admin, usPlatform(), custom("acct_1"), usd("1"), account.ToBalance),
		account.CanPullFunds(pol, admin, usPlatform(), custom("acct_1"), usd("1")),
		account.CanEditAccountInformation(pol, dev, custom("acct_1")),
		account.CanEditPayoutSchedule(pol, dev, custom("acct_1")),
		account.ViewAs(pol, admin, account.NewStandard("acct_1", "US")),
		account.ViewAs(pol, admin, custom("acct_1")),
	} {
		t.Run("op/"+d.Op.String(), func(t *testing.T) { roundTrip(t, d) })
	}
}

func TestDecision_JSONRefusesContradictions(t *testing.T) {
	for _, in := range []string{
		`{"allowed":true,"action":"send_funds","reasons":[{"code":"platform_not_liable"}]}`,
		`{"allowed":false,"action":"nope","reasons":[]}`,
		`{"allowed":false,"action":"remove","reasons":[{"code":"nope"}]}`,
		`{"allowed":true,"action":"remove","reasons":[]}`, // no role weighed
	} {
		d := account.Decision{Op: account.OpViewAs}
		if err := json.Unmarshal([]byte(in), &d); !errors.Is(err, account.ErrInvalid) || d.Op != account.OpViewAs {
			t.Errorf("Unmarshal(%s) = %v, left %v; want ErrInvalid and d unchanged", in, err, d)
		}
	}
}

// Golden JSON for one decision: a Developer sending more than the
// platform holds to a Standard account's bank account (A7).
func TestDecision_A7_GoldenJSON(t *testing.T) {
	d := account.CanSendFunds(roles.Default(), dev, usPlatform(), account.NewStandard("acct_1", "US"), usd("500"), account.ToExternalAccount)
	golden.JSON(t, filepath.Join("testdata", "decision.golden"), d, *update)
	roundTrip(t, d)
}

// Every exported sentinel and error type of the package, with its kind.
func TestErrors_Kinds(t *testing.T) {
	roleDenial := account.CanSendFunds(roles.Default(), dev, usPlatform(), custom("acct_1"), usd("1"), account.ToBalance)
	both := account.CanSendFunds(roles.Default(), dev, usPlatform(), custom("acct_1"), usd("1000"), account.ToBalance)
	notEligible := account.CanRemove(roles.Default(), admin, custom("acct_1"))
	invalid := account.CanSendFunds(roles.Default(), admin, usPlatform(), custom("acct_1"), usd("0"), account.ToBalance)
	removed := custom("acct_1")
	removed.Removed = true
	var bal account.Balances
	for _, tc := range []struct {
		name string
		err  error
		want errkind.Kind
	}{
		{"ErrNotFound", account.ErrNotFound, errkind.NotFound},
		{"Balances.UnmarshalJSON/type", bal.UnmarshalJSON([]byte(`[]`)), errkind.InvalidInput},
		{"ErrExists", account.ErrExists, errkind.Exists},
		{"ErrConflict", account.ErrConflict, errkind.Conflict},
		{"ErrRemoved", account.ErrRemoved, errkind.NotEligible},
		{"ErrDenied", account.ErrDenied, errkind.Denied},
		{"ErrNotEligible", account.ErrNotEligible, errkind.NotEligible},
		{"ErrInvalid", account.ErrInvalid, errkind.InvalidInput},
		{"ErrNoStore", account.ErrNoStore, errkind.InvalidInput},
		{"ErrKeyReused", account.ErrKeyReused, errkind.AlreadyUsed},
		{"RuleError", &account.RuleError{Rule: "A1", Field: "ID", Err: account.ErrInvalid}, errkind.InvalidInput},
		{"DecisionError/role", roleDenial.Err(), errkind.Denied},
		{"DecisionError/role+balance", both.Err(), errkind.Denied},
		{"DecisionError/not eligible", notEligible.Err(), errkind.NotEligible},
		{"DecisionError/invalid", invalid.Err(), errkind.InvalidInput},
		{"DecisionError/removed", account.CanRemove(roles.Default(), admin, removed).Err(), errkind.NotEligible},
		{"DecisionError/zero", account.Decision{}.Err(), errkind.NotEligible},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := errkind.Of(tc.err); got != tc.want {
				t.Errorf("Of(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
	var de *account.DecisionError
	if err := roleDenial.Err(); !errors.As(err, &de) || !errors.Is(err, roles.ErrDenied) || !errors.Is(err, account.ErrDenied) {
		t.Errorf("a role denial: %v does not match ErrDenied, roles.ErrDenied and *DecisionError", err)
	}
}
