package relink_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/relink"
)

// TestParseAccount_K1_NestedUnknownMembersKept: a member relink does not
// model, inside each object it does model, survives ParseAccount and
// MarshalJSON: encode(decode(x)) == x, one payload per nested object.
func TestParseAccount_K1_NestedUnknownMembersKept(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		kept       func(a relink.Account) map[string]json.RawMessage
		want       map[string]string
	}{
		{"status_details", `{"id":"fca_1","object":"financial_connections.account","livemode":true,"status":"active",
			"status_details":{"active":{"action":"none"},"refreshed_at":1700000000},
			"account_holder":null,"permissions":null,"account_numbers":null}`,
			func(a relink.Account) map[string]json.RawMessage { return a.StatusDetailsExtra },
			map[string]string{"refreshed_at": `1700000000`}},
		{"status_details.active", `{"id":"fca_1","object":"financial_connections.account","livemode":true,"status":"active",
			"status_details":{"active":{"action":"relink_required","cause":"access_expired","expected_deactivation_date":1780000000,"grace":{"days":3,"note":"<soon> & then"}}},
			"account_holder":null,"permissions":null,"account_numbers":null}`,
			func(a relink.Account) map[string]json.RawMessage { return a.Active.Extra },
			map[string]string{"grace": `{"days":3,"note":"\u003csoon\u003e \u0026 then"}`}},
		{"status_details.inactive", `{"id":"fca_1","object":"financial_connections.account","livemode":true,"status":"inactive",
			"status_details":{"inactive":{"action":"relink_required","cause":"access_denied","since":1690000000,"hints":["a",null,2.5]}},
			"account_holder":null,"permissions":null,"account_numbers":null}`,
			func(a relink.Account) map[string]json.RawMessage { return a.Inactive.Extra },
			map[string]string{"since": `1690000000`, "hints": `["a",null,2.5]`}},
		{"account_holder", `{"id":"fca_1","object":"financial_connections.account","livemode":true,"status":"active",
			"account_holder":{"type":"customer","customer":"cus_1","verified":true,"profile":{"tier":"gold"}},
			"permissions":null,"account_numbers":null}`,
			func(a relink.Account) map[string]json.RawMessage { return a.Holder.Extra },
			map[string]string{"verified": `true`, "profile": `{"tier":"gold"}`}},
		{"account_holder with expanded customer", `{"id":"fca_1","object":"financial_connections.account","livemode":true,"status":"active",
			"account_holder":{"type":"customer","customer":{"id":"cus_1","object":"customer","email":"a@example.com","metadata":{"k":"v"}},"label":null},
			"permissions":null,"account_numbers":null}`,
			func(a relink.Account) map[string]json.RawMessage { return a.Holder.Extra },
			map[string]string{"label": `null`}},
		{"account_numbers[]", `{"id":"fca_1","object":"financial_connections.account","livemode":true,"status":"active",
			"account_holder":null,"permissions":null,
			"account_numbers":[{"expected_expiry_date":null,"identifier_type":"account_number","status":"transactable","last4":"6789"},
			                   {"expected_expiry_date":1780000000,"identifier_type":"tokenized_account_number","status":"transactable","supported_networks":["ach"],"routing":{"number":"110000000"}}]}`,
			func(a relink.Account) map[string]json.RawMessage {
				m := map[string]json.RawMessage{}
				for i, n := range a.AccountNumbers {
					for k, v := range n.Extra {
						m[fmt.Sprint(i, ".", k)] = v
					}
				}
				return m
			},
			map[string]string{"0.last4": `"6789"`, "1.routing": `{"number":"110000000"}`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := relink.ParseAccount([]byte(tc.json))
			if err != nil {
				t.Fatalf("ParseAccount: %v", err)
			}
			got := map[string]string{}
			for k, v := range tc.kept(a) {
				got[k] = string(v)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("kept members (-want +got):\n%s", d)
			}
			if a.Extra != nil {
				t.Errorf("a nested member leaked to the top level: %v", a.Extra)
			}
			out, err := a.MarshalJSON()
			if err != nil {
				t.Fatalf("MarshalJSON: %v", err)
			}
			if d := jsonEqual(t, []byte(tc.json), out); d != "" {
				t.Fatalf("encode(decode(x)) != x (-x +encoded):\n%s", d)
			}
		})
	}
}

// TestParseAccount_NestedUnknownMembersBounded: each nested object keeps at
// most MaxListLen unknown members, as the account does; an Extra that
// names a modelled member, holds NUL in a name or is not JSON is refused
// by Validate and MarshalJSON, each with an error matching ErrInvalid.
func TestParseAccount_NestedUnknownMembersBounded(t *testing.T) {
	many := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `,"x%d":%d`, i, i)
		}
		return b.String()
	}
	for name, js := range map[string]string{
		"status_details":          `{"id":"fca_1","status":"active","status_details":{"active":{"action":"none"}` + many(relink.MaxListLen+1) + `}}`,
		"status_details.active":   `{"id":"fca_1","status":"active","status_details":{"active":{"action":"none"` + many(relink.MaxListLen+1) + `}}}`,
		"status_details.inactive": `{"id":"fca_1","status":"inactive","status_details":{"inactive":{"action":"none"` + many(relink.MaxListLen+1) + `}}}`,
		"account_holder":          `{"id":"fca_1","status":"active","account_holder":{"type":"customer"` + many(relink.MaxListLen+1) + `}}`,
		"account_numbers":         `{"id":"fca_1","status":"active","account_numbers":[{"status":"transactable"` + many(relink.MaxListLen+1) + `}]}`,
	} {
		var ie *relink.InvalidError
		if _, err := relink.ParseAccount([]byte(js)); !errors.As(err, &ie) || ie.Field != name {
			t.Errorf("%s with %d unknown members: %v, want *InvalidError on %s", name, relink.MaxListLen+1, err, name)
		}
		if _, err := relink.ParseAccount([]byte(strings.Replace(js, many(relink.MaxListLen+1), many(relink.MaxListLen), 1))); err != nil {
			t.Errorf("%s with %d unknown members: %v", name, relink.MaxListLen, err)
		}
	}
	base := func() relink.Account {
		return relink.Account{ID: "fca_1", Status: relink.AccountActive, Holder: relink.Holder{Type: relink.HolderCustomer},
			AccountNumbers: []relink.AccountNumber{{Status: relink.NumberTransactable}}}
	}
	for name, f := range map[string]func(a *relink.Account){
		"active names action": func(a *relink.Account) { a.Active.Extra = map[string]json.RawMessage{"action": json.RawMessage(`"x"`)} },
		"inactive names cause": func(a *relink.Account) {
			a.Inactive.Extra = map[string]json.RawMessage{"cause": json.RawMessage(`"x"`)}
		},
		"details names active": func(a *relink.Account) {
			a.StatusDetailsExtra = map[string]json.RawMessage{"active": json.RawMessage(`{"action":"none"}`)}
		},
		"empty form over a set field": func(a *relink.Account) {
			a.Active.Action = relink.ActionNone
			a.Active.Extra = map[string]json.RawMessage{"action": json.RawMessage(`null`)}
		},
		"wrong empty form": func(a *relink.Account) {
			a.Active.Extra = map[string]json.RawMessage{"expected_deactivation_date": json.RawMessage(`""`)}
		},
		"holder names type": func(a *relink.Account) { a.Holder.Extra = map[string]json.RawMessage{"type": json.RawMessage(`"x"`)} },
		"number names status": func(a *relink.Account) {
			a.AccountNumbers[0].Extra = map[string]json.RawMessage{"status": json.RawMessage(`"x"`)}
		},
		"NUL in a name": func(a *relink.Account) { a.Holder.Extra = map[string]json.RawMessage{"a\x00": json.RawMessage(`1`)} },
		"not JSON":      func(a *relink.Account) { a.Active.Extra = map[string]json.RawMessage{"x": json.RawMessage(`{`)} },
		"holder extra, no holder": func(a *relink.Account) {
			a.Holder = relink.Holder{Extra: map[string]json.RawMessage{"x": json.RawMessage(`1`)}}
		},
	} {
		a := base()
		f(&a)
		if err := a.Validate(); !errors.Is(err, relink.ErrInvalid) {
			t.Errorf("%s: Validate = %v, want ErrInvalid", name, err)
		}
		if _, err := a.MarshalJSON(); !errors.Is(err, relink.ErrInvalid) {
			t.Errorf("%s: MarshalJSON = %v, want ErrInvalid", name, err)
		}
	}
}

// TestParseAccount_K1_PresentButEmptyMembersReencodeAsSent: modelled
// members Stripe sends present but empty ("active":{}, "customer_account":
// null, …) re-encode exactly as sent, as JSON values.
func TestParseAccount_K1_PresentButEmptyMembersReencodeAsSent(t *testing.T) {
	for _, js := range []string{
		`{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","status_details":{},"account_holder":null,"permissions":null,"account_numbers":null}`,
		`{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","status_details":null,"authorization":null,"account_holder":null,"permissions":null,"account_numbers":null}`,
		`{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","status_details":{"active":{},"inactive":null},"authorization":"","account_holder":null,"permissions":null,"account_numbers":null}`,
		`{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","status_details":{"active":{"action":null,"cause":"","expected_deactivation_date":null}},"account_holder":null,"permissions":null,"account_numbers":null}`,
		`{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"inactive","status_details":{"inactive":{"action":"","cause":null}},"account_holder":null,"permissions":null,"account_numbers":null}`,
		`{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","account_holder":{"type":"customer","customer":"cus_1","customer_account":null,"account":null,"email":null},"permissions":null,"account_numbers":null}`,
		`{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","account_holder":{"type":"account","customer":"","account":{"id":"acct_1","email":"a@example.com"},"email":null},"permissions":null,"account_numbers":null}`,
		`{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","account_holder":null,"permissions":null,"account_numbers":[{"expected_expiry_date":null,"identifier_type":"tokenized_account_number","status":"transactable","supported_networks":null}]}`,
	} {
		a, err := relink.ParseAccount([]byte(js))
		if err != nil {
			t.Fatalf("ParseAccount(%s): %v", js, err)
		}
		out, err := a.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var want, got any
		if json.Unmarshal([]byte(js), &want) != nil || json.Unmarshal(out, &got) != nil {
			t.Fatal("not JSON")
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("re-encoded differently (-sent +encoded):\n%s", d)
		}
		again, err := relink.ParseAccount(out)
		if err != nil || !cmp.Equal(a, again) {
			t.Errorf("decode(encode(a)) != a: %v\n%+v\n%+v", err, a, again)
		}
	}
}
