package relink_test

import (
	"errors"
	"testing"

	"github.com/connectkit/connectkit/relink"
)

// TestParseAccount_K1_RefusesLossyText: ParseAccount reads Stripe's JSON
// losslessly (K1), so text encoding/json would rewrite to U+FFFD — invalid
// UTF-8 anywhere, or an escaped lone surrogate — and a member sent twice
// (the last would silently win) are refused with ErrInvalid. Without the
// refusal "fca_\xff" and "fca_\ufffd" decode to the same account ID.
func TestParseAccount_K1_RefusesLossyText(t *testing.T) {
	const head = `{"object":"financial_connections.account","livemode":false,"status":"active",`
	for _, tc := range []struct{ name, json string }{
		{"invalid UTF-8 in the id", head + `"id":"fca_` + "\xff" + `"}`},
		{"invalid UTF-8 in an unknown member", head + `"id":"fca_1","institution_name":"Bank` + "\xfe" + `"}`},
		{"invalid UTF-8 in a member name", head + `"id":"fca_1","x` + "\xc3" + `":1}`},
		{"lone high surrogate in the id", head + `"id":"fca_\ud800"}`},
		{"lone low surrogate in the id", head + `"id":"fca_\udc00"}`},
		{"high surrogate followed by a non-surrogate", head + `"id":"fca_\ud800\u0041"}`},
		{"reversed pair", head + `"id":"fca_\udc00\ud800"}`},
		{"lone surrogate in an unknown member", head + `"id":"fca_1","institution_name":"\uDBFF"}`},
		{"lone surrogate in the holder", head + `"id":"fca_1","account_holder":{"type":"customer","customer":"cus_\ud83d"}}`},
		{"duplicate id", head + `"id":"fca_1","id":"fca_2"}`},
		{"duplicate id, one escaped", head + `"id":"fca_1","\u0069d":"fca_2"}`},
		{"duplicate status", head + `"id":"fca_1","status":"inactive"}`},
		{"duplicate unknown member", head + `"id":"fca_1","institution_name":"A","institution_name":"B"}`},
		{"duplicate in account_holder", head + `"id":"fca_1","account_holder":{"type":"customer","customer":"cus_1","customer":"cus_2"}}`},
		{"duplicate in status_details.active", head + `"id":"fca_1","status_details":{"active":{"action":"none","action":"relink_required"}}}`},
		{"duplicate in an account number", head + `"id":"fca_1","account_numbers":[{"status":"transactable","status":"deactivated"}]}`},
		{"duplicate inside an unknown member", head + `"id":"fca_1","balance":{"cash":{"a":1,"a":2}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := relink.ParseAccount([]byte(tc.json))
			if !errors.Is(err, relink.ErrInvalid) {
				t.Fatalf("ParseAccount = %+v, %v; want ErrInvalid", a, err)
			}
		})
	}
	// What stays accepted: a proper surrogate pair, escaped or not, and the
	// same member name in different objects.
	for _, s := range []string{
		head + `"id":"fca_\ud83d\ude00"}`,
		head + `"id":"fca_😀"}`,
		head + `"id":"fca_1","institution_name":"\\ud800"}`,
		head + `"id":"fca_1","account_holder":{"type":"customer","customer":{"id":"cus_1","object":"customer"}},"x":{"id":"y"}}`,
	} {
		if _, err := relink.ParseAccount([]byte(s)); err != nil {
			t.Errorf("ParseAccount(%s) = %v, want accepted", s, err)
		}
	}
}

// TestParseSession_K3_RefusesLossyText: the same refusals for a session
// (the relink result decides which request closes, K3).
func TestParseSession_K3_RefusesLossyText(t *testing.T) {
	for _, tc := range []struct{ name, json string }{
		{"invalid UTF-8", `{"id":"fcsess_` + "\xff" + `"}`},
		{"lone surrogate", `{"id":"fcsess_\ud800"}`},
		{"lone surrogate in relink_options", `{"id":"fcsess_1","relink_options":{"authorization":"fcauth_\udfff"}}`},
		{"duplicate id", `{"id":"fcsess_1","id":"fcsess_2"}`},
		{"duplicate relink_result.failure_reason", `{"id":"fcsess_1","relink_options":{"authorization":"fcauth_1"},"relink_result":{"failure_reason":"other","failure_reason":null}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := relink.ParseSession([]byte(tc.json))
			if !errors.Is(err, relink.ErrInvalid) {
				t.Fatalf("ParseSession = %+v, %v; want ErrInvalid", u, err)
			}
		})
	}
}
