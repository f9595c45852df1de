package relinktest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/relink/relinktest"
	"github.com/connectkit/connectkit/roles"
	"github.com/connectkit/connectkit/roles/rolestest"
	"pgregory.net/rapid"
)

// genDraws bounds the coverage tests: every value must appear among the
// examples of the first genDraws seeds (deterministic, so no flakes).
const genDraws = 400

var admin = relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "user_admin", Roles: roles.NewSet(roles.Admin)}}

func TestFCAccount_Valid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := relinktest.DrawFCAccount(t, "fca", relinktest.FCAccountOptions{})
		if err := a.Validate(); err != nil {
			t.Fatalf("Validate: %v", err)
		}
		b, err := a.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON: %v", err)
		}
		got, err := relink.ParseAccount(b)
		if err != nil {
			t.Fatalf("ParseAccount(MarshalJSON): %v", err)
		}
		// Lossless: decode(encode(a)) == a exactly, nil and empty apart.
		if d := cmp.Diff(a, got); d != "" {
			t.Fatalf("decode(encode(a)) != a (-a +decoded):\n%s\n%s", d, b)
		}
		if d := relink.CanRequest(roles.Default(), admin, a, relink.Limit{}, nil, relinktest.T0()); d.Reasons.Has(relink.ReasonInvalidInput) {
			t.Fatalf("Check calls a generated account invalid: %v", d)
		}
	})
}

func TestFCAccount_RelinkableBias(t *testing.T) {
	for _, emails := range [][]string{nil, {"ops@platform.example"}} {
		yes := relinktest.FCAccount(relinktest.FCAccountOptions{Relinkable: relinktest.Always, ConfirmedEmails: emails})
		no := relinktest.FCAccount(relinktest.FCAccountOptions{Relinkable: relinktest.Never, ConfirmedEmails: emails})
		for i := 0; i < 200; i++ {
			a := yes.Example(i)
			if d := relink.CanRequest(roles.Default(), admin, a, relink.Limit{}, emails, relinktest.T0()); !d.Allowed {
				t.Fatalf("confirmed %v: Relinkable: Always drew a refused account: %v", emails, d)
			}
			b := no.Example(i)
			if d := relink.CanRequest(roles.Default(), admin, b, relink.Limit{}, emails, relinktest.T0()); d.Allowed {
				t.Fatalf("confirmed %v: Relinkable: Never drew an eligible account %+v", emails, b)
			}
		}
	}
}

func TestFCAccount_CoversEveryEnum(t *testing.T) {
	seen := map[string]bool{}
	reasons := relink.Reasons(0)
	g := relinktest.FCAccount(relinktest.FCAccountOptions{})
	for i := 0; i < genDraws; i++ {
		a := g.Example(i)
		seen["status="+string(a.Status)] = true
		seen["action="+string(a.Inactive.Action)] = true
		seen["cause="+string(a.Inactive.Cause)] = true
		seen["holder="+string(a.Holder.Type)] = true
		seen[fmt.Sprint("email=", a.Holder.HasEmail())] = true
		seen[fmt.Sprint("live=", a.Livemode)] = true
		for _, n := range a.AccountNumbers {
			seen["number="+string(n.IdentifierType)+"/"+string(n.Status)] = true
		}
		for _, p := range a.Permissions {
			seen["permission="+string(p)] = true
		}
		seen["active_action="+string(a.Active.Action)] = true
		seen["active_cause="+string(a.Active.Cause)] = true
		seen[fmt.Sprint("deactivation_date=", a.Active.ExpectedDeactivation.Valid)] = true
		seen[fmt.Sprint("authorization=", a.Authorization != "")] = true
		seen[fmt.Sprint("customer_expanded=", a.Holder.CustomerObject != nil)] = true
		seen[fmt.Sprint("account_expanded=", a.Holder.AccountObject != nil)] = true
		seen[fmt.Sprint("customer_account=", a.Holder.CustomerAccount != "")] = true
		seen[fmt.Sprint("permissions_nil=", a.Permissions == nil)] = true
		seen[fmt.Sprint("numbers_nil=", a.AccountNumbers == nil)] = true
		seen[fmt.Sprint("numbers_empty=", a.AccountNumbers != nil && len(a.AccountNumbers) == 0)] = true
		seen[fmt.Sprint("extra=", len(a.Extra) > 0)] = true
		for _, n := range a.AccountNumbers {
			seen[fmt.Sprint("networks_nil=", n.SupportedNetworks == nil)] = true
			seen[fmt.Sprint("networks_len=", len(n.SupportedNetworks))] = true
			if n.ExpectedExpiry.Valid && n.ExpectedExpiry.Time.Unix() == relink.MinUnix {
				seen["expiry=year1"] = true
			}
		}
		holds, _ := a.TANGround(relinktest.T0())
		seen[fmt.Sprint("tan_ground=", holds)] = true
		reasons |= relink.CanRequest(roles.Default(), admin, a, relink.Limit{}, nil, relinktest.T0()).Reasons
	}
	want := []string{"status=active", "status=inactive", "status=disconnected",
		"action=", "action=none", "action=relink_required",
		"holder=", "holder=customer", "holder=account", "email=true", "email=false", "live=true", "live=false",
		"number=account_number/transactable", "number=tokenized_account_number/transactable",
		"number=tokenized_account_number/deactivated", "tan_ground=true", "tan_ground=false",
		"active_action=", "active_action=none", "active_action=relink_required",
		"active_cause=access_expired", "active_cause=institution_requirement", "active_cause=unspecified", "active_cause=cause_stripe_adds_later",
		"deactivation_date=true", "deactivation_date=false", "authorization=true", "authorization=false",
		"customer_expanded=true", "customer_expanded=false", "account_expanded=true", "customer_account=true",
		"permissions_nil=true", "permissions_nil=false", "numbers_nil=true", "numbers_empty=true", "extra=true",
		"networks_nil=true", "networks_nil=false", "networks_len=0", "networks_len=1", "networks_len=2", "expiry=year1",
		"cause=cause_stripe_adds_later", "permission=permission_stripe_adds_later"}
	for _, c := range []relink.Cause{relink.CauseAccessDenied, relink.CauseAccessExpired, relink.CauseAccountClosed,
		relink.CauseAccountUnavailable, relink.CauseInstitutionRequirement, relink.CauseUnspecified} {
		want = append(want, "cause="+string(c))
	}
	for _, p := range []relink.Permission{relink.PermissionBalances, relink.PermissionOwnership, relink.PermissionPaymentMethod, relink.PermissionTransactions} {
		want = append(want, "permission="+string(p))
	}
	for _, k := range want {
		if !seen[k] {
			t.Errorf("never drew %s in %d draws", k, genDraws)
		}
	}
	for _, r := range []relink.Reason{relink.ReasonDisconnected, relink.ReasonNotRepairable, relink.ReasonNoRelinkGround,
		relink.ReasonNoHolder, relink.ReasonNoEmail, relink.ReasonSandboxEmailUnconfirmed} {
		if !reasons.Has(r) {
			t.Errorf("never refused with %v in %d draws", r.Code(), genDraws)
		}
	}
}

func TestAsk_ValidAndCovers(t *testing.T) {
	seen := map[string]bool{}
	g := relinktest.Ask(relinktest.AskOptions{})
	for i := 0; i < genDraws; i++ {
		ask := g.Example(i)
		r := relink.NewRequest("relreq_1", "fca_1", ask)
		if err := r.Validate(); err != nil {
			t.Fatalf("NewRequest(%+v).Validate: %v", ask, err)
		}
		seen[ask.Method.String()+"/"+string(ask.Delivery)] = true
		seen[ask.Purpose.String()] = true
		seen[fmt.Sprint("limited=", ask.Limited())] = true
	}
	if len(seen) != 4+4+2 {
		t.Errorf("seen %v", seen)
	}
	limited := relinktest.Ask(relinktest.AskOptions{Limited: relinktest.Always,
		Roles: &rolestest.SetOptions{Permitting: roles.RequestRelink}})
	for i := 0; i < 100; i++ {
		if ask := limited.Example(i); !ask.Limited() {
			t.Fatalf("Limited: Always drew %+v", ask)
		}
	}
}

func ExampleFCAccount() {
	// Accounts a Dashboard user may ask to relink right now (K2).
	g := relinktest.FCAccount(relinktest.FCAccountOptions{Relinkable: relinktest.Always})
	a := g.Example(4)
	d := relink.CanRequest(roles.Default(), relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "user_admin", Roles: roles.NewSet(roles.Admin)}}, a, relink.Limit{}, nil, relinktest.T0())
	fmt.Println(d.Allowed, a.Holder.HasEmail())
	// Output: true true
}

// TestFCAccountJSON_RoundTrip: encode(decode(x)) == x, as JSON values, for
// Stripe-shaped payloads with members relink does not model at every level
// (top, status_details, .active, .inactive, account_holder and its expanded
// object, account_numbers[]); and decoding the re-encoded payload gives the
// same account.
func TestFCAccountJSON_RoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := relinktest.DrawFCAccountJSON(t, "payload", relinktest.FCAccountOptions{})
		a, err := relink.ParseAccount(x)
		if err != nil {
			t.Fatalf("ParseAccount(%s): %v", x, err)
		}
		y, err := a.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON: %v", err)
		}
		if d := cmp.Diff(jsonValue(t, x), jsonValue(t, y)); d != "" {
			t.Fatalf("encode(decode(x)) != x (-x +encoded):\n%s\n%s", d, x)
		}
		b, err := relink.ParseAccount(y)
		if err != nil {
			t.Fatalf("ParseAccount(encode(decode(x))): %v", err)
		}
		if d := cmp.Diff(a, b); d != "" {
			t.Fatalf("decode(encode(a)) != a (-a +again):\n%s", d)
		}
	})
}

// jsonValue decodes b keeping numbers as written.
func jsonValue(t *rapid.T, b []byte) any {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return v
}
