package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/stripe/stripe-go/v82"

	"github.com/connectkit/connectkit/requirements"
)

// The decode rows read the same bytes with connectkit's requirements
// decoder and with stripe-go's own types (json.Unmarshal into
// stripe.Account, as stripe-go's client does with a response body).
// stripe-go decodes the whole account; connectkit decodes, validates and
// keeps losslessly its requirements hashes, capabilities and unknown
// members.

func fixture(tb testing.TB) []byte {
	b, err := os.ReadFile("testdata/v1_account_fixture.json")
	if err != nil {
		tb.Fatal(err)
	}
	var w struct {
		Fixture json.RawMessage `json:"fixture"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		tb.Fatal(err)
	}
	return w.Fixture
}

// scaledAccount is a v1 account whose requirements list n fields as
// currently and eventually due, every tenth also pending verification with
// an error: the payload of the scaling rows.
func scaledAccount(n int) []byte {
	fs := make([]string, n)
	var pending []string
	var errs []map[string]any
	for i := range fs {
		fs[i] = fmt.Sprintf("person_%06d.verification.document", i)
		if i%10 == 0 {
			pending = append(pending, fs[i])
			errs = append(errs, map[string]any{"code": "verification_document_expired", "reason": "expired", "requirement": fs[i]})
		}
	}
	b, _ := json.Marshal(map[string]any{"object": "account", "id": "acct_1", "requirements": map[string]any{
		"current_deadline": 1767225600, "currently_due": fs, "eventually_due": fs, "past_due": []string{},
		"pending_verification": pending, "errors": errs, "alternatives": []any{}, "disabled_reason": nil,
	}})
	return b
}

func TestDecodePeersRead(t *testing.T) {
	for _, in := range [][]byte{fixture(t), scaledAccount(100)} {
		s, err := requirements.DecodeV1(in, nil)
		if err != nil {
			t.Fatal(err)
		}
		var a stripe.Account
		if err := json.Unmarshal(in, &a); err != nil {
			t.Fatal(err)
		}
		fields := map[string]bool{}
		for _, e := range s.Entries() {
			fields[e.Field] = true
		}
		if a.Requirements == nil {
			t.Fatal("stripe-go read no requirements")
		}
		for _, f := range a.Requirements.CurrentlyDue {
			if !fields[f] {
				t.Fatalf("stripe-go reads %q currently due, connectkit has no such entry", f)
			}
		}
	}
}

func decodeRows(b *testing.B, in []byte) {
	b.Run("connectkit", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			if _, err := requirements.DecodeV1(in, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stripe-go", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			var a stripe.Account
			if err := json.Unmarshal(in, &a); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDecodeAccountFixture decodes Stripe's v1 account fixture.
func BenchmarkDecodeAccountFixture(b *testing.B) { decodeRows(b, fixture(b)) }

// BenchmarkDecodeAccount decodes accounts with n requirements.
func BenchmarkDecodeAccount(b *testing.B) {
	for _, n := range sizes {
		in := scaledAccount(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { decodeRows(b, in) })
	}
}

var sizes = []int{100, 1000, 10000}
