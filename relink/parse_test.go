package relink_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/connectkit/connectkit/internal/fuzzbudget"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
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
	want := relink.Account{
		ID:          "fca_1MwVK82eZvKYlo2Cjw8CZKc3",
		Status:      relink.AccountInactive,
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

// Resource bounds of ParseAccount (plus MarshalJSON and the re-parse) as
// the fuzzer checks them: allocations and allocated bytes proportional to
// the input, so that the fuzzer finds amplification, not only panics.
// Allocation is the deterministic stand-in for time: decoding does no work
// it does not allocate for beyond a linear scan. Calibrated on the
// fixture (0.3 allocs and 22 bytes per input byte) and the worst shape
// found (64 tiny unknown members: 1.2 allocs and 95 bytes per byte).
var parseBudget = fuzzbudget.Budget{Allocs: 1024, AllocsPerByte: 4, Bytes: 128 << 10, BytesPerByte: 300}

func FuzzParseAccount(f *testing.F) {
	f.Add([]byte(stripeAccount))
	f.Add(fixture(f))
	f.Add([]byte(`{"id":"fca_1","status":"disconnected","account_numbers":[{"status":"deactivated","identifier_type":"tokenized_account_number","expected_expiry_date":-62135596800}]}`))
	f.Add([]byte(`{"id":"fca_1","status":"active","status_details":{"active":{"action":"relink_required","cause":"x","expected_deactivation_date":253402300799}},"authorization":"fcauth_1","account_holder":{"type":"customer","customer":{"id":"cus_1","email":"a@b.c"},"customer_account":"acct_2"},"account_numbers":[{"status":"transactable","supported_networks":["ach"]}],"balance":{"a":[1,2,{"b":null}]}}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"id":"fca_\ud83d\ude00","status":"active","x":"\udc00","id":"fca_2"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var (
			a         relink.Account
			out       []byte
			err, merr error
		)
		parseBudget.Check(t, "ParseAccount, CanRequest and MarshalJSON", len(data), func() {
			if a, err = relink.ParseAccount(data); err == nil {
				_ = relink.CanRequest(roles.Default(), apiAsk, a, relink.Limit{}, nil, t0)
				out, merr = a.MarshalJSON()
			}
		})
		if merr != nil {
			t.Fatalf("MarshalJSON of an accepted account: %v", merr)
		}
		if err != nil {
			if !errors.Is(err, relink.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		if len(out) > 16*len(data)+1024 {
			t.Fatalf("%d bytes of input encode to %d bytes", len(data), len(out))
		}
		b, err := relink.ParseAccount(out)
		if err != nil {
			t.Fatalf("re-parsing %s: %v", out, err)
		}
		if d := cmp.Diff(a, b); d != "" {
			t.Fatalf("decode(encode(a)) != a (-a +again):\n%s", d)
		}
		// Principle 8: what Stripe sent re-encodes as sent, absent members
		// included (encode(decode(x)) == x as JSON values).
		var sent, encoded any
		if json.Unmarshal(data, &sent) != nil || json.Unmarshal(out, &encoded) != nil {
			t.Fatalf("not JSON: %s / %s", data, out)
		}
		if d := cmp.Diff(sent, encoded); d != "" {
			t.Fatalf("encode(decode(x)) != x (-sent +encoded):\n%s", d)
		}
	})
}

// BenchmarkParseAccount decodes Stripe's fixture with an expanded
// Customer whose metadata has n entries: time and allocation grow with the
// input.
func BenchmarkParseAccount(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			var meta strings.Builder
			for i := range n {
				if i > 0 {
					meta.WriteByte(',')
				}
				fmt.Fprintf(&meta, `"key_%d":"value %d"`, i, i)
			}
			in := onePayloadB(b, "account_holder", `{"type":"customer","customer":{"id":"cus_1","object":"customer","email":"jenny@example.com","metadata":{`+meta.String()+`}}}`)
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

func onePayloadB(b *testing.B, member, value string) []byte {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(fixture(b), &m); err != nil {
		b.Fatal(err)
	}
	m[member] = json.RawMessage(value)
	out, err := json.Marshal(m)
	if err != nil {
		b.Fatal(err)
	}
	return out
}
