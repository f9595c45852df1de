package account_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/shopspring/decimal"
)

// The inputs of issue 18, item 1: each used to hang or take seconds. Each
// must now be refused with ErrInvalid before any arithmetic; the
// benchmarks below (BenchmarkBounds_*) show it takes microseconds.
var hostileAmounts = []string{
	"1e100000000",
	"1e2147483647",
	"1e-10000000",
	"1e-2147483648",
	"0e1000000",
	"0.00000000000000000000000001",
	"1000000000000000000", // 10^18: one digit too many before the point
	"1" + strings.Repeat("0", 100000),
	"0." + strings.Repeat("0", 100000) + "1",
}

func TestParseMoney_A7_HostileAmountsAreInvalid(t *testing.T) {
	for _, in := range hostileAmounts {
		name := in
		if len(name) > 20 {
			name = name[:20] + "…"
		}
		t.Run(name, func(t *testing.T) {
			if _, err := account.ParseMoney(in, "usd"); !errors.Is(err, account.ErrInvalid) {
				t.Fatalf("ParseMoney(%.20q): err = %v, want ErrInvalid", in, err)
			}
		})
	}
}

func TestParseMoney_A7_BoundsAreInclusive(t *testing.T) {
	for _, in := range []string{"999999999999999999", "999999999999999999.99", "-999999999999999999.99",
		"1.000000000000000000", "1e17", "0", "12.5"} {
		if _, err := account.ParseMoney(in, "usd"); err != nil {
			t.Errorf("ParseMoney(%q): %v, want accepted", in, err)
		}
	}
}

// Decimals built in code, not parsed, are bounded wherever they enter:
// Money.Validate, the decisions, Account/Platform.Validate, JSON.
func hugeDecimals() []decimal.Decimal {
	return []decimal.Decimal{decimal.New(1, 1e7), decimal.New(1, 2147483647), decimal.New(1, -1e7),
		decimal.New(1, -2147483648), decimal.New(1, 18)}
}

func TestMoney_A7_BuiltHugeAmountsAreInvalidEverywhere(t *testing.T) {
	for _, d := range hugeDecimals() {
		m := account.Money{Amount: d, Currency: "usd"}
		if err := m.Validate(); !errors.Is(err, account.ErrInvalid) {
			t.Errorf("Validate(%v e%d): %v, want ErrInvalid", d.Coefficient(), d.Exponent(), err)
		}
		p := usPlatform()
		a := custom("acct_1")
		if d := account.CanSendFunds(pol, admin, p, a, m, account.ToBalance); !d.Reasons.Has(account.ReasonSendCurrencyInvalid) {
			t.Errorf("CanSendFunds with huge amount: %v", d)
		}
		if d := account.CanPullFunds(pol, admin, p, a, m); !d.Reasons.Has(account.ReasonPullCurrencyInvalid) {
			t.Errorf("CanPullFunds with huge amount: %v", d)
		}
		a.Balance = account.Balances{"usd": d}
		if err := a.Validate(); !errors.Is(err, account.ErrInvalid) {
			t.Errorf("Account.Validate with huge balance: %v", err)
		}
		p.Balance = account.Balances{"usd": d}
		if err := p.Validate(); !errors.Is(err, account.ErrInvalid) {
			t.Errorf("Platform.Validate with huge balance: %v", err)
		}
		if _, err := json.Marshal(a); err == nil || !errors.Is(err, account.ErrInvalid) {
			t.Errorf("json.Marshal of an account with a huge balance: %v, want ErrInvalid", err)
		}
	}
}

func TestBalances_A7_JSONRefusesHostileAmounts(t *testing.T) {
	for _, in := range hostileAmounts {
		var b account.Balances
		err := json.Unmarshal([]byte(`{"usd":"`+in+`"}`), &b)
		if !errors.Is(err, account.ErrInvalid) {
			t.Errorf("Unmarshal %.20q: err = %v, want ErrInvalid", in, err)
		}
	}
	var a account.Account
	if err := json.Unmarshal([]byte(`{"Balance":{"usd":"1e100000000"}}`), &a); !errors.Is(err, account.ErrInvalid) {
		t.Errorf("Unmarshal account: err = %v, want ErrInvalid", err)
	}
	var b account.Balances
	if err := json.Unmarshal([]byte(`{"usd":"12.50","jpy":7}`), &b); err != nil || !b.Get("usd").Amount.Equal(decimal.RequireFromString("12.5")) {
		t.Errorf("Unmarshal ordinary balances: %v %v", b, err)
	}
}

func TestMemoryStore_A7_HugeBalanceIsRefused(t *testing.T) {
	ctx := context.Background()
	s := account.NewMemoryStore()
	a := custom("acct_1")
	a.Balance = account.Balances{"usd": decimal.New(1, 1e7)}
	if _, err := s.Create(ctx, a); !errors.Is(err, account.ErrInvalid) {
		t.Fatalf("Create: %v, want ErrInvalid", err)
	}
}

// Refusing an amount costs a bounded, small amount of work whatever the
// input: these run in microseconds (compare BenchmarkParseMoney_Ordinary).
func BenchmarkBounds_ParseMoney(b *testing.B) {
	for _, in := range []string{"1e100000000", "1e2147483647", "1e-10000000"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := account.ParseMoney(in, "usd"); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
	b.Run("long", func(b *testing.B) {
		in := "1" + strings.Repeat("0", 100000)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := account.ParseMoney(in, "usd"); err == nil {
				b.Fatal("accepted")
			}
		}
	})
}

func BenchmarkBounds_JSONHugeBalance(b *testing.B) {
	a := custom("acct_1")
	a.Balance = account.Balances{"usd": decimal.New(1, 1e7)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(a); err == nil {
			b.Fatal("accepted")
		}
	}
}

func BenchmarkBounds_CanSendFundsHugeAmount(b *testing.B) {
	p, a := usPlatform(), custom("acct_1")
	m := account.Money{Amount: decimal.New(1, 1e8), Currency: "usd"}
	b.ReportAllocs()
	for b.Loop() {
		sinkDecision = account.CanSendFunds(pol, admin, p, a, m, account.ToBalance)
	}
}

func BenchmarkParseMoney_Ordinary(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := account.ParseMoney("1234.56", "usd"); err != nil {
			b.Fatal(err)
		}
	}
}

// The refusal of a hostile amount allocates no more than a handful of
// times: the work does not grow with the exponent.
func TestBounds_A7_RefusalAllocatesLittle(t *testing.T) {
	p, a := usPlatform(), custom("acct_1")
	for _, d := range hugeDecimals() {
		m := account.Money{Amount: d, Currency: "usd"}
		if n := testing.AllocsPerRun(10, func() { sinkDecision = account.CanSendFunds(pol, admin, p, a, m, account.ToBalance) }); n > 0 {
			t.Errorf("CanSendFunds(e%d) allocates %v times, want 0", d.Exponent(), n)
		}
		if n := testing.AllocsPerRun(10, func() { _ = m.Validate() }); n > 2 {
			t.Errorf("Validate(e%d) allocates %v times, want ≤ 2", d.Exponent(), n)
		}
	}
	for _, in := range hostileAmounts {
		if n := testing.AllocsPerRun(10, func() { _, _ = account.ParseMoney(in, "usd") }); n > 8 {
			t.Errorf("ParseMoney(%.20q) allocates %v times, want ≤ 8", in, n)
		}
	}
}

// Issue 18, item 2: a Developer could mint money by creating an account
// with a balance. A new account starts with no balance (A7: balances change
// only through funds moves), and no balance is ever stored negative or
// inexact in its currency.
func TestService_A7_CreateRefusesABalance(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, usPlatform())
	for _, bal := range []account.Balances{
		{"usd": decimal.RequireFromString("1000000.00")},
		{"usd": decimal.RequireFromString("0.01")},
		{"jpy": decimal.RequireFromString("-5.123")},
	} {
		a := account.NewCustom("acct_mint", "US")
		a.Balance = bal
		if _, _, err := svc.Create(ctx, as(dev), a); !errors.Is(err, account.ErrInvalid) {
			t.Errorf("Create with balance %v: err = %v, want ErrInvalid", bal, err)
		}
		if _, err := svc.Store.Get(ctx, "acct_mint"); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("a refused Create was stored: %v", err)
		}
	}
	a := account.NewCustom("acct_zero", "US")
	a.Balance = account.Balances{"usd": decimal.Zero}
	if _, _, err := svc.Create(ctx, as(dev), a); err != nil {
		t.Errorf("Create with an explicit zero balance: %v", err)
	}
}

func TestValidate_A7_BalancesAreExactAndNonNegative(t *testing.T) {
	for _, tc := range []struct {
		cur, amt string
		ok       bool
	}{
		{"usd", "12.34", true}, {"usd", "0", true}, {"jpy", "500", true}, {"kwd", "1.234", true},
		{"usd", "1.000", true}, // trailing zeros are exact
		{"usd", "-0.01", false}, {"jpy", "-5.123", false}, {"jpy", "5.1", false}, {"usd", "0.001", false},
		{"xxx", "1", false},
	} {
		a := custom("acct_1")
		a.Balance = account.Balances{tc.cur: decimal.RequireFromString(tc.amt)}
		p := usPlatform()
		p.Balance = a.Balance
		for name, err := range map[string]error{"Account": a.Validate(), "Platform": p.Validate()} {
			if got := err == nil; got != tc.ok {
				t.Errorf("%s.Validate with %s %s: err = %v, want ok=%v", name, tc.amt, tc.cur, err, tc.ok)
			} else if err != nil && !errors.Is(err, account.ErrInvalid) {
				t.Errorf("%s.Validate: %v, want ErrInvalid", name, err)
			}
		}
	}
}
