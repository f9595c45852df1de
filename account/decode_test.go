package account_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/errkind"
)

// Every JSON form that carries a decimal, or an account a Store would
// refuse, refuses it at decode with ErrInvalid (errkind InvalidInput, the
// error every Store gives): an out-of-bounds amount in a Money, a Move, a
// Receipt; an account or platform with a NUL ID, a negative balance or an
// unknown currency. Before, they decoded silently and failed later (or,
// with 1e100000000, hung the arithmetic).
func TestJSON_A7_DecodeRefusesWhatStoresRefuse(t *testing.T) {
	const acct = `{"ID":"acct_1","Country":"US","Dashboard":"none","RequirementCollection":"application","NegativeBalanceLiability":"application"`
	const plat = `{"Country":"US"`
	move := func(amount string) string {
		return `{"Key":"k1","Op":1,"Money":{"Amount":` + amount + `,"Currency":"usd"},"To":"balance","At":"2025-01-01T00:00:00Z","CreatedBy":"user_1"}`
	}
	tests := []struct {
		name string
		into any
		in   string
	}{
		{"Money huge exponent", new(account.Money), `{"Amount":"1e100000000","Currency":"usd"}`},
		{"Money huge number", new(account.Money), `{"Amount":1e2147483647,"Currency":"usd"}`},
		{"Money tiny exponent", new(account.Money), `{"Amount":"1e-10000000","Currency":"usd"}`},
		{"Money 10^18", new(account.Money), `{"Amount":"1000000000000000000","Currency":"usd"}`},
		{"Money long text", new(account.Money), `{"Amount":"1` + strings.Repeat("0", 10000) + `","Currency":"usd"}`},
		{"Money inexact", new(account.Money), `{"Amount":"0.001","Currency":"usd"}`},
		{"Money unknown currency", new(account.Money), `{"Amount":"1","Currency":"xxx"}`},
		{"Move huge amount", new(account.Move), move(`"1e100000000"`)},
		{"Receipt huge amount", new(account.Receipt), `{"Move":` + move(`"1e100000000"`) + `}`},
		{"Receipt negative account balance", new(account.Receipt), `{"Account":` + acct + `,"Balance":{"usd":"-5"}}}`},
		{"Account NUL ID", new(account.Account), strings.Replace(acct, "acct_1", `acct\u00001`, 1) + `}`},
		{"Account negative balance", new(account.Account), acct + `,"Balance":{"usd":"-5.00"}}`},
		{"Account inexact balance", new(account.Account), acct + `,"Balance":{"jpy":"5.123"}}`},
		{"Account unknown currency", new(account.Account), acct + `,"Balance":{"zzz":"5"}}`},
		{"Account huge balance", new(account.Account), acct + `,"Balance":{"usd":"1e100000000"}}`},
		{"Platform negative balance", new(account.Platform), plat + `,"Balance":{"usd":"-1"}}`},
		{"Platform huge balance", new(account.Platform), plat + `,"Balance":{"usd":1e2147483647}}`},
		{"Platform bad country", new(account.Platform), `{"Country":"us"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := json.Unmarshal([]byte(tt.in), tt.into)
			if !errors.Is(err, account.ErrInvalid) || errkind.Of(err) != errkind.InvalidInput {
				t.Fatalf("json.Unmarshal(%.80s) into %T: err = %v, want ErrInvalid", tt.in, tt.into, err)
			}
		})
	}
}

// What decodes is what was encoded: Money and Move round-trip exactly.
func TestJSON_A7_MoneyAndMoveRoundTrip(t *testing.T) {
	for _, in := range []string{"12.50", "0.01", "999999999999999999.99", "-3"} {
		m, err := account.ParseMoney(in, "usd")
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back account.Money
		if err := json.Unmarshal(b, &back); err != nil || !back.Amount.Equal(m.Amount) || back.Currency != m.Currency {
			t.Errorf("%s: round trip %s = %v, %v", in, b, back, err)
		}
	}
}
