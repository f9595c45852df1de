package relink_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/connectkit/connectkit/relink"
)

func equalAccounts(a, b relink.Account) bool {
	return cmp.Equal(a, b, cmpopts.EquateEmpty())
}

const stripeAccount = `{
  "id": "fca_1MwVK82eZvKYlo2Cjw8CZKc3",
  "object": "financial_connections.account",
  "livemode": false,
  "status": "inactive",
  "status_details": {"inactive": {"action": "relink_required", "cause": "access_expired"}},
  "account_holder": {"type": "customer", "customer": "cus_NfjonN9919dELB"},
  "permissions": ["payment_method", "balances"],
  "account_numbers": [
    {"expected_expiry_date": 1777626000, "identifier_type": "tokenized_account_number", "status": "transactable", "supported_networks": ["ach"]},
    {"expected_expiry_date": null, "identifier_type": "account_number", "status": "transactable"}
  ],
  "institution_name": "StripeBank"
}`

func TestParseAccount_K1_StripeShape(t *testing.T) {
	got, err := relink.ParseAccount([]byte(stripeAccount))
	if err != nil {
		t.Fatal(err)
	}
	want := &relink.Account{
		ID:          "fca_1MwVK82eZvKYlo2Cjw8CZKc3",
		Status:      relink.StatusInactive,
		Inactive:    relink.InactiveDetails{Action: relink.ActionRelinkRequired, Cause: relink.CauseAccessExpired},
		Holder:      relink.Holder{Type: relink.HolderCustomer, Customer: "cus_NfjonN9919dELB"},
		Permissions: []relink.Permission{relink.PermissionPaymentMethod, relink.PermissionBalances},
		AccountNumbers: []relink.AccountNumber{
			{IdentifierType: relink.IdentifierTokenizedNumber, Status: relink.NumberTransactable, ExpectedExpiry: relink.TimestampOf(time.Unix(1777626000, 0).UTC()), SupportedNetworks: []relink.Network{relink.NetworkACH}},
			{IdentifierType: relink.IdentifierAccountNumber, Status: relink.NumberTransactable},
		},
		Extra: map[string]json.RawMessage{"institution_name": json.RawMessage(`"StripeBank"`)},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("ParseAccount (-want +got):\n%s", d)
	}
}

func TestParseAccount_UnknownValues(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		field      string // empty: accepted and kept
	}{
		{"unknown status rejected", `{"id":"fca_1","status":"paused"}`, "status"},
		{"unknown action rejected", `{"id":"fca_1","status":"inactive","status_details":{"inactive":{"action":"call"}}}`, "status_details.inactive.action"},
		{"unknown holder type rejected", `{"id":"fca_1","status":"active","account_holder":{"type":"person"}}`, "account_holder.type"},
		{"holder without type rejected", `{"id":"fca_1","status":"active","account_holder":{}}`, "account_holder.type"},
		{"unknown number status rejected", `{"id":"fca_1","status":"active","account_numbers":[{"status":"frozen"}]}`, "account_numbers.status"},
		{"absurd expiry rejected", `{"id":"fca_1","status":"active","account_numbers":[{"status":"transactable","expected_expiry_date":9223372036854775807}]}`, "account_numbers.expected_expiry_date"},
		{"missing id rejected", `{"status":"active"}`, "id"},
		{"unknown cause kept", `{"id":"fca_1","status":"inactive","status_details":{"inactive":{"action":"relink_required","cause":"new_cause"}}}`, ""},
		{"unknown permission kept", `{"id":"fca_1","status":"active","permissions":["new_permission"]}`, ""},
		{"unknown identifier type kept", `{"id":"fca_1","status":"active","account_numbers":[{"status":"transactable","identifier_type":"new"}]}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := relink.ParseAccount([]byte(tc.json))
			if tc.field == "" {
				if err != nil {
					t.Fatalf("ParseAccount = %v, want accepted", err)
				}
				return
			}
			var ie *relink.InvalidError
			if !errors.As(err, &ie) || !errors.Is(err, relink.ErrInvalid) || ie.Field != tc.field {
				t.Fatalf("ParseAccount = %v, want *InvalidError on %s", err, tc.field)
			}
		})
	}
	if _, err := relink.ParseAccount([]byte(`{`)); !errors.Is(err, relink.ErrInvalid) {
		t.Fatalf("malformed JSON: %v", err)
	}
}

func FuzzParseAccount(f *testing.F) {
	f.Add([]byte(stripeAccount))
	f.Add([]byte(`{"id":"fca_1","status":"disconnected","account_numbers":[{"status":"deactivated","identifier_type":"tokenized_account_number","expected_expiry_date":-62135596800}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := relink.ParseAccount(data)
		if err != nil {
			if !errors.Is(err, relink.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		_ = relink.Policy{}.Check(a, apiAsk, relink.Limit{}, t0)
		out, err := a.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		b, err := relink.ParseAccount(out)
		if err != nil {
			t.Fatalf("re-parsing %s: %v", out, err)
		}
		if !equalAccounts(*a, *b) {
			t.Fatalf("round trip changed the account:\n%+v\n%+v", *a, *b)
		}
	})
}
