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

// rawMembers builds an Extra from name → JSON text.
func rawMembers(kv ...string) map[string]json.RawMessage {
	m := make(map[string]json.RawMessage, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = json.RawMessage(kv[i+1])
	}
	return m
}

// TestParseAccount_K1_MemberNamesExact: ParseAccount reads every level of
// the account by exact member name (K1). A member whose name differs from
// a modelled one only in case — as encoding/json's struct decoding folds
// case, so also "ſ" (U+017F) for "s" — is an unknown member of its
// object, kept verbatim in that object's Extra, and never read as the
// modelled member, whether or not the modelled member is also sent. So
// encode(decode(x)) == x, and what relink decides on is what the exact
// names say. Without exact names, "Status" inside an account number is
// read as the status and kept as well, and re-encodes twice.
func TestParseAccount_K1_MemberNamesExact(t *testing.T) {
	const head = `{"id":"fca_1","object":"financial_connections.account","livemode":true,"permissions":null,`
	base := func() relink.Account {
		return relink.Account{ID: "fca_1", Livemode: true, Status: relink.AccountActive}
	}
	for _, tc := range []struct {
		name, json string
		want       func(a *relink.Account)
	}{
		{"top level", head + `"status":"active","Status":"inactive","ID":"fca_2","account_holder":null,"account_numbers":null}`,
			func(a *relink.Account) { a.Extra = rawMembers("Status", `"inactive"`, "ID", `"fca_2"`) }},
		{"status_details: Active beside active", head + `"status":"active","status_details":{"active":{"action":"none"},"Active":{"action":"relink_required","expected_deactivation_date":1780000000}},"account_holder":null,"account_numbers":null}`,
			func(a *relink.Account) {
				a.Active.Action = relink.ActionNone
				a.StatusDetailsExtra = rawMembers("Active", `{"action":"relink_required","expected_deactivation_date":1780000000}`)
			}},
		{"status_details: INACTIVE alone", head + `"status":"inactive","status_details":{"INACTIVE":{"action":"relink_required"}},"account_holder":null,"account_numbers":null}`,
			func(a *relink.Account) {
				a.Status = relink.AccountInactive
				a.StatusDetailsExtra = rawMembers("INACTIVE", `{"action":"relink_required"}`)
			}},
		{"status_details.active", head + `"status":"active","status_details":{"active":{"action":"none","Action":"relink_required","cause":"unspecified","EXPECTED_DEACTIVATION_DATE":1780000000}},"account_holder":null,"account_numbers":null}`,
			func(a *relink.Account) {
				a.Active = relink.ActiveDetails{Action: relink.ActionNone, Cause: relink.CauseUnspecified,
					Extra: rawMembers("Action", `"relink_required"`, "EXPECTED_DEACTIVATION_DATE", `1780000000`)}
			}},
		{"status_details.inactive", head + `"status":"inactive","status_details":{"inactive":{"action":"relink_required","Action":"none","Cause":"account_closed"}},"account_holder":null,"account_numbers":null}`,
			func(a *relink.Account) {
				a.Status = relink.AccountInactive
				a.Inactive = relink.InactiveDetails{Action: relink.ActionRelinkRequired, Extra: rawMembers("Action", `"none"`, "Cause", `"account_closed"`)}
			}},
		{"account_holder", head + `"status":"active","account_holder":{"type":"customer","Type":"account","customer":"cus_1","Customer":"cus_2","Customer_Account":"acct_9","Email":"x@example.com"},"account_numbers":null}`,
			func(a *relink.Account) {
				a.Holder = relink.Holder{Type: relink.HolderCustomer, Customer: "cus_1",
					Extra: rawMembers("Type", `"account"`, "Customer", `"cus_2"`, "Customer_Account", `"acct_9"`, "Email", `"x@example.com"`)}
			}},
		{"account_holder: long s folds to s", head + `"status":"active","account_holder":{"type":"customer","customer":"cus_1","cuſtomer":"cus_2"},"account_numbers":null}`,
			func(a *relink.Account) {
				a.Holder = relink.Holder{Type: relink.HolderCustomer, Customer: "cus_1", Extra: rawMembers("cuſtomer", `"cus_2"`)}
			}},
		{"expanded customer: ID and Email", head + `"status":"active","account_holder":{"type":"customer","customer":{"id":"cus_1","ID":"cus_2","object":"customer","Email":"x@example.com"}},"account_numbers":null}`,
			func(a *relink.Account) {
				a.Holder = relink.Holder{Type: relink.HolderCustomer, Customer: "cus_1",
					CustomerObject: json.RawMessage(`{"id":"cus_1","ID":"cus_2","object":"customer","Email":"x@example.com"}`)}
			}},
		{"expanded account: EMAIL", head + `"status":"active","account_holder":{"type":"account","account":{"id":"acct_1","EMAIL":"a@example.com"}},"account_numbers":null}`,
			func(a *relink.Account) {
				a.Holder = relink.Holder{Type: relink.HolderAccount, Account: "acct_1", AccountObject: json.RawMessage(`{"id":"acct_1","EMAIL":"a@example.com"}`)}
			}},
		{"account_numbers[]", head + `"status":"active","account_holder":null,"account_numbers":[{"expected_expiry_date":null,"identifier_type":"account_number","status":"transactable",
			"Status":"deactivated","ſtatus":"deactivated","Supported_Networks":["ach"],"Expected_Expiry_Date":1780000000,"Identifier_Type":"tokenized_account_number"}]}`,
			func(a *relink.Account) {
				a.AccountNumbers = []relink.AccountNumber{{IdentifierType: relink.IdentifierAccountNumber, Status: relink.NumberTransactable,
					Extra: rawMembers("Status", `"deactivated"`, "ſtatus", `"deactivated"`, "Supported_Networks", `["ach"]`,
						"Expected_Expiry_Date", `1780000000`, "Identifier_Type", `"tokenized_account_number"`)}}
			}},
		{"account_numbers[]: a TAN's expiry in another case", head + `"status":"active","account_holder":null,"account_numbers":[{"expected_expiry_date":null,"identifier_type":"tokenized_account_number","status":"transactable","EXPECTED_EXPIRY_DATE":1}]}`,
			func(a *relink.Account) {
				a.AccountNumbers = []relink.AccountNumber{{IdentifierType: relink.IdentifierTokenizedNumber, Status: relink.NumberTransactable,
					Extra: rawMembers("EXPECTED_EXPIRY_DATE", `1`)}}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := base()
			tc.want(&want)
			a, err := relink.ParseAccount([]byte(tc.json))
			if err != nil {
				t.Fatalf("ParseAccount: %v", err)
			}
			if d := cmp.Diff(want, a); d != "" {
				t.Errorf("decoded (-want +got):\n%s", d)
			}
			out, err := a.MarshalJSON()
			if err != nil {
				t.Fatalf("MarshalJSON: %v", err)
			}
			if d := jsonEqual(t, []byte(tc.json), out); d != "" {
				t.Errorf("encode(decode(x)) != x (-x +encoded):\n%s", d)
			}
			again, err := relink.ParseAccount(out)
			if err != nil {
				t.Fatalf("ParseAccount(encode(decode(x))): %v", err)
			}
			if d := cmp.Diff(a, again); d != "" {
				t.Errorf("decode(encode(a)) != a (-a +again):\n%s", d)
			}
		})
	}
}

// TestParseAccount_K1_MemberNamesExactRequired: a member in another case
// never stands in for a required member that is missing: the account is
// refused as if the member were absent.
func TestParseAccount_K1_MemberNamesExactRequired(t *testing.T) {
	const head = `{"id":"fca_1","object":"financial_connections.account","livemode":true,"status":"active",`
	for name, js := range map[string]string{
		"holder Type without type":             head + `"account_holder":{"Type":"customer","customer":"cus_1"}}`,
		"expanded customer ID without id":      head + `"account_holder":{"type":"customer","customer":{"ID":"cus_1","object":"customer"}}}`,
		"expanded account Id without id":       head + `"account_holder":{"type":"account","account":{"Id":"acct_1"}}}`,
		"account number Status without status": head + `"account_numbers":[{"identifier_type":"account_number","Status":"transactable"}]}`,
		"top-level Status without status":      `{"id":"fca_1","Status":"active"}`,
		"top-level ID without id":              `{"ID":"fca_1","status":"active"}`,
	} {
		if a, err := relink.ParseAccount([]byte(js)); !errors.Is(err, relink.ErrInvalid) {
			t.Errorf("%s: ParseAccount = %+v, %v; want ErrInvalid", name, a, err)
		}
	}
}

// TestParseSession_K4_MemberNamesExact: ParseSession reads id, status,
// relink_options and relink_result (which decide which request a session
// closes and how, K3/K4) by exact member name at every level: a member in
// another case is ignored like any other member ParseSession does not
// read, and never stands in for a missing one.
func TestParseSession_K4_MemberNamesExact(t *testing.T) {
	for name, tc := range map[string]struct {
		in   string
		want relink.SessionUpdate
	}{
		"top level": {`{"id":"fcsess_1","ID":"fcsess_2","Status":"cancelled","Livemode":true,"Object":"x","Relink_Options":{"authorization":"fcauth_9"},"RELINK_RESULT":{"failure_reason":"other"}}`,
			relink.SessionUpdate{ID: "fcsess_1"}},
		"long s": {`{"id":"fcsess_1","ſtatus":"cancelled"}`, relink.SessionUpdate{ID: "fcsess_1"}},
		"nested": {`{"id":"fcsess_1","status":"succeeded","relink_options":{"authorization":"fcauth_1","Account":"fca_2","AUTHORIZATION":"fcauth_2"},
			"relink_result":{"account":"fca_1","Account":"fca_2","authorization":"fcauth_1","Failure_Reason":"no_account"}}`,
			relink.SessionUpdate{ID: "fcsess_1", Status: relink.SessionSucceeded,
				RelinkOptions: relink.RelinkOptions{Authorization: "fcauth_1"},
				RelinkResult:  relink.RelinkResult{Account: "fca_1", Authorization: "fcauth_1"}}},
	} {
		got, err := relink.ParseSession([]byte(tc.in))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", name, d)
		}
	}
	for name, in := range map[string]string{
		"ID without id":                          `{"ID":"fcsess_1"}`,
		"relink_options with Authorization only": `{"id":"fcsess_1","relink_options":{"Authorization":"fcauth_1","account":"fca_1"}}`,
	} {
		if u, err := relink.ParseSession([]byte(in)); !errors.Is(err, relink.ErrInvalid) {
			t.Errorf("%s: ParseSession = %+v, %v; want ErrInvalid", name, u, err)
		}
	}
}

// BenchmarkParseAccountNestedMembers decodes Stripe's fixture whose
// account number carries case-variant members and an unknown member with
// n entries, so that the input grows inside a level ParseAccount decodes
// member by member: time and allocation grow with the input.
func BenchmarkParseAccountNestedMembers(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			var big strings.Builder
			for i := range n {
				if i > 0 {
					big.WriteByte(',')
				}
				fmt.Fprintf(&big, `"key_%d":["value %d",%d]`, i, i, i)
			}
			in := onePayloadB(b, "account_numbers", `[{"expected_expiry_date":1780000000,"identifier_type":"tokenized_account_number","status":"transactable",`+
				`"Status":"deactivated","ſtatus":"deactivated","routing":{`+big.String()+`}}]`)
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := relink.ParseAccount(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
