package account_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/account/accounttest"
	"github.com/connectkit/connectkit/internal/fuzzbudget"
	"github.com/google/go-cmp/cmp"
)

// Resource bounds of the parsers, calibrated on the seeds with a wide
// margin (measured: accounttest.Sample's 865-byte JSON decodes in 215
// allocations and 29 KB, about a quarter of an allocation and 34 bytes per
// input byte; ParseMoney makes at most 6 allocations, 176 bytes). A decimal exponent or a nesting that
// made the work grow faster than the input would break it, and the
// fuzzer would report the input.
var parseBudget = fuzzbudget.Budget{Allocs: 200, AllocsPerByte: 2, Bytes: 64 << 10, BytesPerByte: 64}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"12.50", "0", "-1", "1e2", "1e100000000", "1e-10000000", "1e2147483647",
		"999999999999999999.99", "0.000000000000000001", "1.000", "abc", "", "1_0", "+5", ".5", "5."} {
		f.Add(s, "usd")
	}
	f.Add("500", "jpy")
	f.Add("1.234", "kwd")
	f.Fuzz(func(t *testing.T, amount, currency string) {
		var (
			m   account.Money
			err error
		)
		parseBudget.Check(t, "ParseMoney", len(amount)+len(currency), func() { m, err = account.ParseMoney(amount, currency) })
		if err != nil {
			if !errors.Is(err, account.ErrInvalid) {
				t.Fatalf("ParseMoney(%q, %q) = %v, not ErrInvalid", amount, currency, err)
			}
			return
		}
		if m.Validate() != nil {
			t.Fatalf("ParseMoney(%q, %q) = %v, which fails Validate", amount, currency, m)
		}
		back, err := account.ParseMoney(m.Amount.String(), m.Currency)
		if err != nil || !back.Amount.Equal(m.Amount) {
			t.Fatalf("ParseMoney(%q) = %v; its String %q does not parse back: %v", amount, m, m.Amount.String(), err)
		}
	})
}

func FuzzAccountJSON(f *testing.F) {
	a := accounttest.Sample("acct_1")
	seed, err := account.MarshalStorage(a)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"ID":"acct_1","Balance":{"usd":"1e100000000"}}`))
	f.Add([]byte(`{"Balance":{"usd":1e2147483647}}`))
	f.Add([]byte(`{"Representative":{"FullName":"Jane","DOB":{"Year":1984,"Month":7,"Day":2},"SSNLast4":"6789"}}`))
	f.Add([]byte(`{"Representative":"Representative(J***)"}`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var (
			got account.Account
			err error
		)
		parseBudget.Check(t, "Account JSON", len(data), func() { got, err = account.UnmarshalStorage(data) })
		if err != nil {
			if !errors.Is(err, account.ErrInvalid) {
				t.Fatalf("UnmarshalStorage error %v does not match ErrInvalid", err)
			}
			return
		}
		if err := got.Validate(); err != nil {
			t.Fatalf("UnmarshalStorage accepted an invalid account: %v", err)
		}
		// A valid account encodes, within bounds, and decodes back equal.
		var out []byte
		parseBudget.Check(t, "Account JSON encoding", len(data), func() { out, err = account.MarshalStorage(got) })
		if err != nil {
			t.Fatalf("a valid account does not encode: %v", err)
		}
		back, err := account.UnmarshalStorage(out)
		if err != nil {
			t.Fatalf("%s does not decode: %v", out, err)
		}
		if d := diffAccounts(got, back); d != "" {
			t.Fatalf("round trip (-first +second):\n%s", d)
		}
	})
}

func FuzzPlatformJSON(f *testing.F) {
	seed, err := json.Marshal(accounttest.SamplePlatform())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"Country":"US","Balance":{"usd":"1e-10000000"}}`))
	f.Add([]byte(`{"Balance":{"usd":"12.5","jpy":"-5.123"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var (
			got account.Platform
			err error
		)
		parseBudget.Check(t, "Platform JSON", len(data), func() { err = json.Unmarshal(data, &got) })
		if err != nil || got.Validate() != nil {
			return
		}
		var out []byte
		parseBudget.Check(t, "Platform JSON encoding", len(data), func() { out, err = json.Marshal(got) })
		if err != nil {
			t.Fatalf("a valid platform does not encode: %v", err)
		}
		var back account.Platform
		if err := json.Unmarshal(out, &back); err != nil || cmp.Diff(got, back, accounttest.CmpOptions()) != "" {
			t.Fatalf("%s does not decode back equal: %v", out, err)
		}
	})
}

func diffAccounts(x, y account.Account) string { return cmp.Diff(x, y, accounttest.CmpOptions()) }
