package relink_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

// fixture reads Stripe's account fixture (testdata/README.md says where
// it comes from).
func fixture(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/fc_account_fixture.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Fixture json.RawMessage }
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f.Fixture
}

// jsonEqual reports whether a and b hold the same JSON value.
func jsonEqual(t *testing.T, a, b []byte) string {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return cmp.Diff(x, y)
}

// TestParseAccount_K1_StripeFixture: Stripe's own fixture decodes, and
// re-encodes to the same JSON value, every member kept.
func TestParseAccount_K1_StripeFixture(t *testing.T) {
	in := fixture(t)
	a, err := relink.ParseAccount(in)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != "fca_1Pgc76B7WZ01zgkWqlYVCIub" || a.Status != relink.AccountActive || a.Holder.Customer != "cus_QXg1o8vcGmoR32" ||
		a.Permissions == nil || len(a.Permissions) != 0 || a.AccountNumbers != nil {
		t.Fatalf("decoded %+v", a)
	}
	out, err := a.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if d := jsonEqual(t, in, out); d != "" {
		t.Fatalf("re-encoded fixture differs (-stripe +ours):\n%s", d)
	}
}

// onePayload is the fixture with one member replaced or added.
func onePayload(t *testing.T, member string, value string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(fixture(t), &m); err != nil {
		t.Fatal(err)
	}
	m[member] = json.RawMessage(value)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestParseAccount_K1_EveryMember: one hand-built payload per member that
// bears on relink; each decodes to what Stripe said and round-trips
// losslessly (decode(encode(a)) == a, and the same JSON value).
func TestParseAccount_K1_EveryMember(t *testing.T) {
	at := func(sec int64) relink.Timestamp { return relink.TimestampOf(time.Unix(sec, 0).UTC()) }
	for _, tc := range []struct {
		name, member, value string
		check               func(a relink.Account) bool
	}{
		{"status_details.active (GA)", "status_details",
			`{"active":{"action":"relink_required","cause":"institution_requirement","expected_deactivation_date":1780000000}}`,
			func(a relink.Account) bool {
				return cmp.Equal(a.Active, relink.ActiveDetails{Action: relink.ActionRelinkRequired, Cause: relink.CauseInstitutionRequirement, ExpectedDeactivation: at(1780000000)})
			}},
		{"status_details.active with an unknown cause", "status_details",
			`{"active":{"action":"none","cause":"cause_stripe_adds_later","expected_deactivation_date":1780000000}}`,
			func(a relink.Account) bool { return a.Active.Cause == "cause_stripe_adds_later" }},
		{"status_details.inactive (BETA)", "status_details",
			`{"inactive":{"action":"none","cause":"account_closed"}}`,
			func(a relink.Account) bool {
				return cmp.Equal(a.Inactive, relink.InactiveDetails{Action: relink.ActionNone, Cause: relink.CauseAccountClosed})
			}},
		{"authorization (BETA)", "authorization", `"fcauth_1Pgc76B7WZ01zgkW"`,
			func(a relink.Account) bool { return a.Authorization == "fcauth_1Pgc76B7WZ01zgkW" }},
		{"account_holder.customer as an ID", "account_holder", `{"type":"customer","customer":"cus_1"}`,
			func(a relink.Account) bool { return a.Holder.Customer == "cus_1" && a.Holder.CustomerObject == nil }},
		{"account_holder.customer expanded", "account_holder",
			`{"type":"customer","customer":{"id":"cus_1","object":"customer","email":"jenny@example.com","metadata":{"k":"<v>"}}}`,
			func(a relink.Account) bool {
				return a.Holder.Customer == "cus_1" && a.Holder.Email == "jenny@example.com" && bytes.Contains(a.Holder.CustomerObject, []byte(`"metadata"`))
			}},
		{"account_holder.account expanded", "account_holder",
			`{"type":"account","account":{"id":"acct_1","object":"account","email":"ops@shop.example"}}`,
			func(a relink.Account) bool {
				return a.Holder.Account == "acct_1" && a.Holder.Email == "ops@shop.example"
			}},
		{"account_holder.customer_account", "account_holder", `{"type":"customer","customer_account":"acct_v2_1"}`,
			func(a relink.Account) bool {
				return a.Holder.CustomerAccount == "acct_v2_1" && a.Holder.Customer == ""
			}},
		{"account_numbers[].supported_networks", "account_numbers",
			`[{"expected_expiry_date":1780000000,"identifier_type":"tokenized_account_number","status":"transactable","supported_networks":["ach","network_stripe_adds_later"]},{"expected_expiry_date":null,"identifier_type":"account_number","status":"deactivated","supported_networks":[]}]`,
			func(a relink.Account) bool {
				return len(a.AccountNumbers) == 2 && cmp.Equal(a.AccountNumbers[0].SupportedNetworks, []relink.Network{relink.NetworkACH, "network_stripe_adds_later"}) &&
					a.AccountNumbers[1].SupportedNetworks != nil && len(a.AccountNumbers[1].SupportedNetworks) == 0 && !a.AccountNumbers[1].ExpectedExpiry.Valid
			}},
		{"account_numbers[] year-1 expiry is an instant", "account_numbers",
			`[{"expected_expiry_date":-62135596800,"identifier_type":"tokenized_account_number","status":"transactable"}]`,
			func(a relink.Account) bool {
				e := a.AccountNumbers[0].ExpectedExpiry
				return e.Valid && e.Time.Equal(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC))
			}},
		{"account_numbers [] is not null", "account_numbers", `[]`,
			func(a relink.Account) bool { return a.AccountNumbers != nil && len(a.AccountNumbers) == 0 }},
		{"permissions with an unknown one", "permissions", `["balances","permission_stripe_adds_later"]`,
			func(a relink.Account) bool { return len(a.Permissions) == 2 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := onePayload(t, tc.member, tc.value)
			a, err := relink.ParseAccount(in)
			if err != nil {
				t.Fatalf("ParseAccount: %v", err)
			}
			if !tc.check(a) {
				t.Fatalf("decoded %+v", a)
			}
			out, err := a.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			b, err := relink.ParseAccount(out)
			if err != nil {
				t.Fatalf("ParseAccount(MarshalJSON): %v\n%s", err, out)
			}
			if d := cmp.Diff(a, b); d != "" {
				t.Fatalf("decode(encode(a)) != a (-a +again):\n%s", d)
			}
			var want, got map[string]any
			_ = json.Unmarshal(in, &want)
			_ = json.Unmarshal(out, &got)
			if h, ok := got["account_holder"].(map[string]any); ok {
				delete(h, "email") // connectkit's extension, written only when it differs
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Fatalf("re-encoded JSON differs (-stripe +ours):\n%s", d)
			}
		})
	}
}

// TestParseAccount_K2_Year1TANExpiryIsExpired: expected_expiry_date
// -62135596800 (0001-01-01) is a long-expired TAN, eligible on the TAN
// ground, and re-encodes as -62135596800, not null.
func TestParseAccount_K2_Year1TANExpiryIsExpired(t *testing.T) {
	a, err := relink.ParseAccount([]byte(`{"id":"fca_1","livemode":true,"status":"active",
		"account_holder":{"type":"customer","customer":"cus_1","email":"jenny@example.com"},
		"account_numbers":[{"expected_expiry_date":-62135596800,"identifier_type":"tokenized_account_number","status":"transactable"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if d := check(a, dashboardAsk, relink.Limit{}, t0); !d.Allowed {
		t.Fatalf("year-1 TAN: %v, want allowed (expired TAN)", d)
	}
	out, err := a.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"expected_expiry_date":-62135596800`)) {
		t.Fatalf("re-encoded %s, want the year-1 instant kept", out)
	}
}

// TestParseAccount_K1_TimestampRange: any second of years 1–9999 is read
// exactly; beyond, or not an integer, a clear *InvalidError naming the
// member.
func TestParseAccount_K1_TimestampRange(t *testing.T) {
	for _, tc := range []struct {
		value string
		ok    bool
	}{
		{"-62135596800", true}, {"253402300799", true}, {"0", true},
		{"-62135596801", false}, {"253402300800", false}, {"9223372036854775807", false},
		{"1e3", false}, {"1.5", false}, {`"1780000000"`, false},
	} {
		for _, member := range []string{"account_numbers.expected_expiry_date", "status_details.active.expected_deactivation_date"} {
			var js string
			if strings.HasPrefix(member, "account_numbers") {
				js = `{"id":"fca_1","status":"active","account_numbers":[{"status":"transactable","expected_expiry_date":` + tc.value + `}]}`
			} else {
				js = `{"id":"fca_1","status":"active","status_details":{"active":{"action":"relink_required","expected_deactivation_date":` + tc.value + `}}}`
			}
			_, err := relink.ParseAccount([]byte(js))
			if tc.ok != (err == nil) || !tc.ok && !errors.Is(err, relink.ErrInvalid) {
				t.Errorf("%s = %s: %v, want ok=%v", member, tc.value, err, tc.ok)
			}
			var ie *relink.InvalidError
			if !tc.ok && tc.value[0] != '"' && (!errors.As(err, &ie) || ie.Field != member) {
				t.Errorf("%s = %s: %v, want an *InvalidError on %s", member, tc.value, err, member)
			}
		}
	}
}

// TestParseAccount_K1_DecisiveUnknownsRefused: unknown values that decide
// eligibility are refused; the new decisive one is
// status_details.active.action.
func TestParseAccount_K1_DecisiveUnknownsRefused(t *testing.T) {
	for _, tc := range []struct{ json, field string }{
		{`{"id":"fca_1","status":"active","status_details":{"active":{"action":"call_the_bank"}}}`, "status_details.active.action"},
		{`{"id":"fca_1","status":"active","object":"customer"}`, "object"},
		{`{"id":"fca_1","status":"active","account_holder":{"type":"customer","customer":{"object":"customer"}}}`, "account_holder.customer"},
		{`{"id":"fca_1","status":"active","account_holder":{"type":"customer","customer":42}}`, "account_holder.customer"},
	} {
		_, err := relink.ParseAccount([]byte(tc.json))
		var ie *relink.InvalidError
		if !errors.As(err, &ie) || ie.Field != tc.field {
			t.Errorf("ParseAccount(%s) = %v, want *InvalidError on %s", tc.json, err, tc.field)
		}
	}
}

// TestParseAccount_BoundedInput: NUL in any text, over-long IDs, too many
// items, too deep or too big a document: ErrInvalid, at the boundary.
func TestParseAccount_BoundedInput(t *testing.T) {
	long := strings.Repeat("x", 12000)
	for name, js := range map[string]string{
		"NUL in id":              `{"id":"fca_\u0000","status":"active"}`,
		"12,000-char id":         `{"id":"` + long + `","status":"active"}`,
		"NUL in authorization":   `{"id":"fca_1","status":"active","authorization":"fcauth_\u0000"}`,
		"NUL in customer":        `{"id":"fca_1","status":"active","account_holder":{"type":"customer","customer":"cus_\u0000"}}`,
		"NUL in cause":           `{"id":"fca_1","status":"inactive","status_details":{"inactive":{"action":"none","cause":"a\u0000"}}}`,
		"12,000-char permission": `{"id":"fca_1","status":"active","permissions":["` + long + `"]}`,
		"NUL in network":         `{"id":"fca_1","status":"active","account_numbers":[{"status":"transactable","supported_networks":["\u0000"]}]}`,
		"too many permissions":   `{"id":"fca_1","status":"active","permissions":[` + strings.Repeat(`"p",`, relink.MaxListLen) + `"p"]}`,
		"too deep":               `{"id":"fca_1","status":"active","x":` + strings.Repeat("[", relink.MaxJSONDepth) + strings.Repeat("]", relink.MaxJSONDepth) + `}`,
		"too big":                `{"id":"fca_1","status":"active","x":"` + strings.Repeat("x", relink.MaxAccountJSON) + `"}`,
	} {
		if _, err := relink.ParseAccount([]byte(js)); !errors.Is(err, relink.ErrInvalid) {
			t.Errorf("%s: ParseAccount = %v, want ErrInvalid", name, err)
		}
	}
}

// TestEligibility_K2_ActiveRelinkRequired: an active account Stripe flags
// relink_required is eligible for hosted relink, and its expected
// deactivation date is the deadline; action none is no ground.
func TestEligibility_K2_ActiveRelinkRequired(t *testing.T) {
	deadline := relink.TimestampOf(t0.Add(10 * day))
	a := activeWithTAN(t0.Add(365 * day))
	a.Active = relink.ActiveDetails{Action: relink.ActionRelinkRequired, Cause: relink.CauseAccessExpired, ExpectedDeactivation: deadline}
	for name, ask := range allAsks {
		d := check(a, ask, relink.Limit{}, t0)
		if !d.Allowed || !d.RelinkRequired || d.Deadline != deadline {
			t.Errorf("%s: %v (deadline %v), want allowed with deadline %v", name, d, d.Deadline, deadline)
		}
	}
	a.Active.Action = relink.ActionNone
	if d := check(a, dashboardAsk, relink.Limit{}, t0); d.Allowed || !d.Reasons.Has(relink.ReasonNoRelinkGround) || d.RelinkRequired {
		t.Errorf("action none: %v, want not_inactive_or_expiring", d)
	}
	// An inactive account's status_details.active is not Stripe's signal.
	b := inactive()
	b.Active = relink.ActiveDetails{Action: relink.ActionRelinkRequired, ExpectedDeactivation: deadline}
	if d := check(b, dashboardAsk, relink.Limit{}, t0); !d.Allowed || d.RelinkRequired {
		t.Errorf("inactive: %v", d)
	}
}

// TestCampaign_K2_RelinkRequiredFirstSoonestDeactivation: the "now" bucket
// starts with the accounts Stripe flagged relink_required, soonest
// deactivation first (undated ones next), then the rest in input order.
func TestCampaign_K2_RelinkRequiredFirstSoonestDeactivation(t *testing.T) {
	flagged := func(id relink.AccountID, in time.Duration, dated bool) relink.Account {
		a := activeWithTAN(t0.Add(365 * day))
		a.ID = id
		a.Active.Action = relink.ActionRelinkRequired
		if dated {
			a.Active.ExpectedDeactivation = relink.TimestampOf(t0.Add(in))
		}
		return a
	}
	in := func(id relink.AccountID) relink.Account { a := inactive(); a.ID = id; return a }
	year1 := flagged("fca_year1", 0, true)
	year1.Active.ExpectedDeactivation = relink.TimestampOf(time.Time{}) // a real instant, long past
	targets := []relink.Target{
		{Account: in("fca_inactive_1")}, {Account: flagged("fca_in_20d", 20*day, true)}, {Account: flagged("fca_undated", 0, false)},
		{Account: in("fca_inactive_2")}, {Account: flagged("fca_in_3d", 3*day, true)}, {Account: year1},
	}
	c := relink.PlanCampaignSlice(roles.Default(), emailAsk, targets, nil, t0)
	var got []relink.AccountID
	for _, d := range c.Eligible {
		got = append(got, d.Account)
	}
	want := []relink.AccountID{"fca_year1", "fca_in_3d", "fca_in_20d", "fca_undated", "fca_inactive_1", "fca_inactive_2"}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("eligible order (-want +got):\n%s", d)
	}
}

// TestEligibility_K4_AuthorizationScoped: an ask may name the
// authorization; another one than the account's is refused; the request
// records it, and its relink_options name the account exactly when the
// same account is required.
func TestEligibility_K4_AuthorizationScoped(t *testing.T) {
	ctx := context.Background()
	a := inactive()
	a.Authorization = "fcauth_1"
	wrong := relink.Ask{Method: relink.MethodAPI, Authorization: "fcauth_2"}
	if d := check(a, wrong, relink.Limit{}, t0); d.Allowed || !d.Reasons.Has(relink.ReasonOtherAuthorization) {
		t.Fatalf("other authorization: %v", d)
	}
	s, _ := newService(t0)
	r, _, err := s.Request(ctx, a, relink.Ask{Method: relink.MethodAPI, AllowOtherAccount: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Authorization != "fcauth_1" || r.RelinkOptions() != (relink.RelinkOptions{Authorization: "fcauth_1"}) {
		t.Fatalf("request %+v, options %+v", r, r.RelinkOptions())
	}
	r2, _, err := s.Request(ctx, a, relink.Ask{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryURL, Authorization: "fcauth_1"})
	if err != nil {
		t.Fatal(err)
	}
	if r2.RelinkOptions() != (relink.RelinkOptions{Authorization: "fcauth_1", Account: a.ID}) {
		t.Fatalf("hosted relink_options %+v", r2.RelinkOptions())
	}
	// K3 stays per account: two accounts of one authorization each get
	// their own 48-hour window.
	b := inactive()
	b.ID, b.Authorization = "fca_2", "fcauth_1"
	for _, acct := range []relink.Account{a, b} {
		if _, _, err := s.Request(ctx, acct, dashboardAsk); err != nil {
			t.Fatalf("dashboard relink of %s: %v", acct.ID, err)
		}
	}
}

// TestService_K4_RecordResult maps a session's relink_result onto
// Complete and Fail.
func TestService_K4_RecordResult(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, result string
		same         bool
		want         relink.RequestStatus
		reason       relink.FailureReason
		relinked     relink.AccountID
		err          error
	}{
		{"success naming the account", `{"account":"fca_1","authorization":"fcauth_1","failure_reason":null}`, true, relink.RequestSucceeded, "", "fca_1", nil},
		{"success without account, another allowed: relinked unknown", `{"account":null,"authorization":"fcauth_1","failure_reason":null}`, false, relink.RequestSucceeded, "", "", nil},
		{"success without account, same required", `{"account":null,"authorization":"fcauth_1","failure_reason":null}`, true, relink.RequestSucceeded, "", "fca_1", nil},
		{"success of another authorization", `{"account":"fca_1","authorization":"fcauth_2","failure_reason":null}`, true, relink.RequestPending, "", "", relink.ErrInvalid},
		{"success onto another account where the same was required", `{"account":"fca_9","authorization":"fcauth_1","failure_reason":null}`, true, relink.RequestPending, "", "", relink.ErrWrongAccount},
		{"no_account", `{"account":null,"authorization":null,"failure_reason":"no_account"}`, true, relink.RequestFailed, relink.FailureNoAccount, "", nil},
		{"no_authorization", `{"account":null,"authorization":null,"failure_reason":"no_authorization"}`, true, relink.RequestFailed, relink.FailureNoAuthorization, "", nil},
		{"unknown reason kept", `{"account":null,"authorization":null,"failure_reason":"reason_stripe_adds_later"}`, true, relink.RequestFailed, "reason_stripe_adds_later", "", nil},
		{"no result yet", `{"account":null,"authorization":null,"failure_reason":null}`, true, relink.RequestPending, "", "", relink.ErrInvalid},
		{"NUL in the reason", `{"failure_reason":"no\u0000account"}`, true, relink.RequestPending, "", "", relink.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newService(t0)
			a := inactive()
			a.Authorization = "fcauth_1"
			r, _, err := s.Request(ctx, a, relink.Ask{Method: relink.MethodAPI, AllowOtherAccount: !tc.same})
			if err != nil {
				t.Fatal(err)
			}
			var res relink.RelinkResult
			if err := json.Unmarshal([]byte(tc.result), &res); err != nil {
				if tc.err == relink.ErrInvalid && errors.Is(err, relink.ErrInvalid) {
					return // refused while decoding
				}
				t.Fatal(err)
			}
			_, err = s.RecordResult(ctx, r.ID, res)
			if tc.err != nil && !errors.Is(err, tc.err) || tc.err == nil && err != nil {
				t.Fatalf("RecordResult = %v, want %v", err, tc.err)
			}
			got, _ := s.Store.Get(ctx, r.ID)
			if got.Status != tc.want || got.FailureReason != tc.reason || got.Relinked != tc.relinked {
				t.Fatalf("stored %+v", got)
			}
		})
	}
}

// TestEnums_UnmarshalText: every wire enum parses from text and JSON as
// it prints; decisive ones refuse unknown values.
func TestEnums_UnmarshalText(t *testing.T) {
	var req struct {
		Method   relink.Method
		Purpose  relink.Purpose
		Delivery relink.Delivery
		Status   relink.RequestStatus
		Reason   relink.Reason
	}
	in := `{"Method":"hosted_api","Purpose":"refresh_tan","Delivery":"email","Status":"failed","Reason":"rate_limited"}`
	if err := json.Unmarshal([]byte(in), &req); err != nil {
		t.Fatal(err)
	}
	if req.Method != relink.MethodHostedAPI || req.Purpose != relink.PurposeRefreshTAN || req.Delivery != relink.DeliveryEmail ||
		req.Status != relink.RequestFailed || req.Reason != relink.ReasonRateLimited {
		t.Fatalf("decoded %+v", req)
	}
	out, err := json.Marshal(req)
	if err != nil || string(out) != in {
		t.Fatalf("re-encoded %s, %v; want %s", out, err, in)
	}
	for m := relink.Method(1); m.Valid(); m++ {
		var got relink.Method
		if err := got.UnmarshalText([]byte(m.String())); err != nil || got != m {
			t.Errorf("Method %v: %v, %v", m, got, err)
		}
	}
	for p := relink.Purpose(0); p.Valid(); p++ {
		var got relink.Purpose
		if err := got.UnmarshalText([]byte(p.String())); err != nil || got != p {
			t.Errorf("Purpose %v: %v, %v", p, got, err)
		}
	}
	refused := map[string]interface{ UnmarshalText([]byte) error }{
		"method": new(relink.Method), "purpose": new(relink.Purpose), "delivery": new(relink.Delivery),
		"status": new(relink.AccountStatus), "action": new(relink.Action), "holder type": new(relink.HolderType),
		"number status": new(relink.NumberStatus), "request status": new(relink.RequestStatus), "reason": new(relink.Reason),
	}
	for name, v := range refused {
		if err := v.UnmarshalText([]byte("value_stripe_adds_later")); !errors.Is(err, relink.ErrInvalid) {
			t.Errorf("%s: unknown value: %v, want ErrInvalid", name, err)
		}
	}
	kept := map[string]interface{ UnmarshalText([]byte) error }{
		"cause": new(relink.Cause), "permission": new(relink.Permission), "identifier type": new(relink.IdentifierType),
		"network": new(relink.Network), "failure reason": new(relink.FailureReason),
	}
	for name, v := range kept {
		if err := v.UnmarshalText([]byte("value_stripe_adds_later")); err != nil {
			t.Errorf("%s: unknown value: %v, want kept", name, err)
		}
		if err := v.UnmarshalText([]byte("a\x00b")); !errors.Is(err, relink.ErrInvalid) {
			t.Errorf("%s: NUL: %v, want ErrInvalid", name, err)
		}
	}
}

var _ = roles.Admin
