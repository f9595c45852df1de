package account_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/account/accounttest"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// The storage form keeps every field of every valid account the
// generator draws — the email and the representative's values among them,
// which no other encoding carries — and decodes back equal, through
// UnmarshalStorage and through json.Unmarshal alike.
func TestStorage_A1_RoundTripsEveryAccount(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := accounttest.DrawAccount(t, "acct", accounttest.AccountOptions{})
		a.Version = rapid.Uint64Range(0, 1<<53).Draw(t, "version")
		b, err := account.MarshalStorage(a)
		if err != nil {
			t.Fatalf("MarshalStorage of a valid account: %v", err)
		}
		back, err := account.UnmarshalStorage(b)
		if err != nil {
			t.Fatalf("UnmarshalStorage(%s): %v", b, err)
		}
		if d := cmp.Diff(a, back, accounttest.CmpOptions()); d != "" {
			t.Fatalf("storage round trip (-want +got):\n%s", d)
		}
		// Named, in case a future Equal hid them from cmp.
		if back.Email.Address() != a.Email.Address() || back.Representative.FullName() != a.Representative.FullName() ||
			back.Representative.DOB() != a.Representative.DOB() || back.Representative.SSNLast4() != a.Representative.SSNLast4() {
			t.Fatalf("storage lost personal data: %s", b)
		}
		var viaJSON account.Account
		if err := json.Unmarshal(b, &viaJSON); err != nil || cmp.Diff(a, viaJSON, accounttest.CmpOptions()) != "" {
			t.Fatalf("json.Unmarshal of the storage form: %v", err)
		}
	})
}

// The redacted form that Account.MarshalJSON writes is not the storage
// form: decoding it is an error matching ErrInvalid, never an account with
// a redacted email.
func TestStorage_A1_RedactedFormDoesNotDecode(t *testing.T) {
	a := secretAccount()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := account.UnmarshalStorage(b); !errors.Is(err, account.ErrInvalid) {
		t.Fatalf("UnmarshalStorage(redacted %s) = %v, want ErrInvalid", b, err)
	}
}
