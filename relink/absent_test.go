package relink_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/relink"
)

// TestParseAccount_K1_AbsentMembersStayAbsent: a modelled member Stripe
// did not send is not written by MarshalJSON (principle 8: Stripe's word
// re-encoded as sent), and one sent in a form the field cannot tell from
// its zero (livemode null, identifier_type null, an email equal to the
// expanded object's) re-encodes as sent: encode(decode(x)) == x as JSON
// values, and decode(encode(a)) == a. One case per level.
func TestParseAccount_K1_AbsentMembersStayAbsent(t *testing.T) {
	for _, tc := range []struct{ level, json string }{
		{"account: the brief's payload", `{"id":"fca_1","status":"active","account_numbers":[{"status":"transactable"}]}`},
		{"account: only the required members", `{"id":"fca_1","status":"active"}`},
		{"account: object absent", `{"id":"fca_1","livemode":true,"status":"active","account_holder":null,"permissions":null,"account_numbers":null}`},
		{"account: livemode absent", `{"id":"fca_1","object":"financial_connections.account","status":"active","account_holder":null,"permissions":null,"account_numbers":null}`},
		{"account: livemode null", `{"id":"fca_1","object":"financial_connections.account","livemode":null,"status":"active","account_holder":null,"permissions":null,"account_numbers":null}`},
		{"account: account_holder absent", `{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","permissions":[],"account_numbers":[]}`},
		{"account: permissions absent", `{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","account_holder":null,"account_numbers":null}`},
		{"account: account_numbers absent", `{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","account_holder":null,"permissions":["balances"]}`},
		{"status_details.active: members absent", `{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","status_details":{"active":{"action":"relink_required"}},"account_holder":null,"permissions":null,"account_numbers":null}`},
		{"status_details.inactive: members absent", `{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"inactive","status_details":{"inactive":{"cause":"access_expired"}},"account_holder":null,"permissions":null,"account_numbers":null}`},
		{"account_holder: only type", `{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","permissions":null,"account_numbers":null,"account_holder":{"type":"customer"}}`},
		{"account_holder: email equal to the expanded customer's", `{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","permissions":null,"account_numbers":null,"account_holder":{"type":"customer","customer":{"id":"cus_1","email":"a@example.com"},"email":"a@example.com"}}`},
		{"account_holder: email equal to the expanded account's", `{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","permissions":null,"account_numbers":null,"account_holder":{"type":"account","account":{"id":"acct_1","email":"a@example.com"},"email":"a@example.com"}}`},
		{"account_numbers[]: identifier_type absent", `{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","account_holder":null,"permissions":null,"account_numbers":[{"expected_expiry_date":1700000000,"status":"transactable"}]}`},
		{"account_numbers[]: expected_expiry_date absent", `{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","account_holder":null,"permissions":null,"account_numbers":[{"identifier_type":"tokenized_account_number","status":"deactivated","supported_networks":["ach"]}]}`},
		{"account_numbers[]: identifier_type null", `{"id":"fca_1","object":"financial_connections.account","livemode":false,"status":"active","account_holder":null,"permissions":null,"account_numbers":[{"identifier_type":null,"expected_expiry_date":null,"status":"transactable"}]}`},
	} {
		t.Run(tc.level, func(t *testing.T) {
			a, err := relink.ParseAccount([]byte(tc.json))
			if err != nil {
				t.Fatalf("ParseAccount(%s): %v", tc.json, err)
			}
			out, err := a.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			var want, got any
			if json.Unmarshal([]byte(tc.json), &want) != nil || json.Unmarshal(out, &got) != nil {
				t.Fatal("not JSON")
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("re-encoded differently (-sent +encoded):\n%s", d)
			}
			again, err := relink.ParseAccount(out)
			if err != nil {
				t.Fatalf("ParseAccount(%s): %v", out, err)
			}
			if d := cmp.Diff(a, again); d != "" {
				t.Errorf("decode(encode(a)) != a (-a +again):\n%s", d)
			}
		})
	}
}
