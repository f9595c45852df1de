package account

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"strings"

	"github.com/shopspring/decimal"
)

// Money is an exact amount in one currency. Currency is a lower-case
// ISO 4217 code such as "usd". The zero Money is zero in no currency and
// fails Validate. Arithmetic on amounts is exact (decimal.Decimal, no
// floats, no division).
type Money struct {
	Amount   decimal.Decimal // the exact amount, in major units (25.00)
	Currency string          // the ISO 4217 code, lower case ("usd")
}

// Bounds on amounts. Every decimal that enters the package — parsed,
// decoded from JSON, passed to a decision or to a Store — is checked
// against them before any arithmetic, so that no amount can make a
// computation slow or huge (a decimal such as 1e2147483647 is tiny to
// write and endless to add).
const (
	// MaxAmountDigits is the number of digits an amount may have before
	// the decimal point: every amount and balance is below 10^18 in
	// absolute value.
	MaxAmountDigits = 18
	// MaxAmountScale is the number of digits an amount may be written
	// with after the decimal point (trailing zeros included: "1.00"
	// has two); an amount must still be exact in its currency's minor
	// units.
	MaxAmountScale = 18
	// maxAmountText is the longest amount text ParseMoney reads: a sign,
	// the digits on both sides of a point, and an exponent.
	maxAmountText = 1 + MaxAmountDigits + 1 + MaxAmountScale + 6
)

// amountLimits[e+MaxAmountScale] is 10^MaxAmountDigits written with
// exponent e, so that a bounded decimal compares with it without being
// rescaled (decimal.Cmp rescales only when the exponents differ, which
// would allocate). Read-only after package initialisation.
var amountLimits, negAmountLimits = func() (pos, neg [MaxAmountScale + MaxAmountDigits + 1]decimal.Decimal) {
	ten := big.NewInt(10)
	for e := -MaxAmountScale; e <= MaxAmountDigits; e++ {
		c := new(big.Int).Exp(ten, big.NewInt(int64(MaxAmountDigits-e)), nil)
		pos[e+MaxAmountScale] = decimal.NewFromBigInt(c, int32(e))
		neg[e+MaxAmountScale] = decimal.NewFromBigInt(new(big.Int).Neg(c), int32(e))
	}
	return pos, neg
}()

// bounded reports whether d is within the amount bounds: an exponent in
// [-MaxAmountScale, MaxAmountDigits] and an absolute value below
// 10^MaxAmountDigits. It does no arithmetic on d and does not allocate:
// its cost does not depend on d.
func bounded(d decimal.Decimal) bool {
	e := d.Exponent()
	if e < -MaxAmountScale || e > MaxAmountDigits {
		return false
	}
	if d.Sign() == 0 {
		return true
	}
	i := int(e) + MaxAmountScale
	return d.Cmp(amountLimits[i]) < 0 && d.Cmp(negAmountLimits[i]) > 0
}

// ParseMoney parses an amount such as "12.50" in a currency such as "usd".
// A malformed amount, an unknown currency, an amount out of bounds
// (MaxAmountDigits, MaxAmountScale; longer than 64 bytes), or more
// fractional digits than the currency has (ISO 4217 minor units: "0.001
// usd") is an error matching ErrInvalid, returned in microseconds whatever
// the input. Zero and negative amounts parse; operations refuse them.
func ParseMoney(amount, currency string) (Money, error) {
	if len(amount) > maxAmountText {
		return Money{}, &RuleError{Rule: "A7", Field: "Money.Amount", Err: ErrInvalid}
	}
	d, err := decimal.NewFromString(amount)
	if err != nil {
		return Money{}, &RuleError{Rule: "A7", Field: "Money.Amount", Err: ErrInvalid}
	}
	m := Money{Amount: d, Currency: currency}
	if err := m.Validate(); err != nil {
		return Money{}, err
	}
	return m, nil
}

// Validate reports whether the currency is a known ISO 4217 code (lower
// case) and the amount is within bounds (MaxAmountDigits, MaxAmountScale)
// with no more fractional digits than that currency's minor unit. The error is a *RuleError matching ErrInvalid.
func (m Money) Validate() error {
	if !KnownCurrency(m.Currency) {
		return &RuleError{Rule: "A7", Field: "Money.Currency", Err: ErrInvalid}
	}
	if !exactIn(m.Amount, m.Currency) {
		return &RuleError{Rule: "A7", Field: "Money.Amount", Err: ErrInvalid}
	}
	return nil
}

// moneyJSON is Money's JSON form: the amount as a decimal string, such as
// {"Amount": "12.50", "Currency": "usd"}.
type moneyJSON struct {
	Amount   json.RawMessage
	Currency string
}

// MarshalJSON encodes m as {"Amount": "12.50", "Currency": "usd"}. An
// amount out of bounds (MaxAmountDigits, MaxAmountScale) is an error
// matching ErrInvalid, found before anything is formatted. It reads none of
// the decimal package's globals.
func (m Money) MarshalJSON() ([]byte, error) {
	if !bounded(m.Amount) {
		return nil, &RuleError{Rule: "A7", Field: "Money.Amount", Err: ErrInvalid}
	}
	amount, _ := json.Marshal(m.Amount.String())
	return json.Marshal(moneyJSON{Amount: amount, Currency: m.Currency})
}

// UnmarshalJSON decodes the form MarshalJSON writes (the amount a decimal
// string or a JSON number) as ParseMoney parses it: an amount longer than
// 64 bytes, out of bounds, or inexact in a known currency is an error
// matching ErrInvalid, found before any arithmetic, and leaves m unchanged.
func (m *Money) UnmarshalJSON(b []byte) error {
	var in moneyJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return fmt.Errorf("%w: money: %v", ErrInvalid, err)
	}
	text, err := amountText(in.Amount)
	if err != nil {
		return &RuleError{Rule: "A7", Field: "Money.Amount", Err: ErrInvalid}
	}
	got, err := ParseMoney(text, in.Currency)
	if err != nil {
		return err
	}
	*m = got
	return nil
}

// amountText returns the text of an amount written as a JSON string or
// number, without decoding a string longer than maxAmountText.
func amountText(v json.RawMessage) (string, error) {
	if len(v) > maxAmountText+2 {
		return "", ErrInvalid
	}
	text := string(v)
	if len(v) > 0 && v[0] == '"' {
		if err := json.Unmarshal(v, &text); err != nil {
			return "", err
		}
	}
	return text, nil
}

// Neg returns m with its amount negated.
func (m Money) Neg() Money { return Money{Amount: m.Amount.Neg(), Currency: m.Currency} }

// String returns the amount and currency, such as "12.50 usd".
//
// The amount is written with the currency's minor units ("25.00 usd",
// "500 jpy"), or as given when it has more places or the currency is unknown.
func (m Money) String() string {
	if !bounded(m.Amount) {
		return fmt.Sprintf("%de%d %s", m.Amount.CoefficientInt64(), m.Amount.Exponent(), m.Currency) + " (out of bounds)"
	}
	if places, ok := minorUnits[m.Currency]; ok && -m.Amount.Exponent() <= places {
		return m.Amount.StringFixed(places) + " " + m.Currency
	}
	return m.Amount.String() + " " + m.Currency
}

// KnownCurrency reports whether c is an active ISO 4217 currency code in
// lower case, such as "usd" or "eur".
func KnownCurrency(c string) bool {
	_, ok := minorUnits[c]
	return ok
}

// MinorUnits returns the number of fractional digits of currency c
// (ISO 4217: 2 for "usd", 0 for "jpy", 3 for "kwd") and whether c is known.
func MinorUnits(c string) (int32, bool) {
	n, ok := minorUnits[c]
	return n, ok
}

// exactIn reports whether d is within bounds and representable in
// currency c's minor units. It does not allocate unless d carries trailing
// zeros beyond them.
func exactIn(d decimal.Decimal, c string) bool {
	n, ok := minorUnits[c]
	if !ok || !bounded(d) {
		return false
	}
	if d.Exponent() >= -n {
		return true
	}
	return d.Truncate(n).Equal(d)
}

// minorUnits is read-only after package initialisation.
var minorUnits = func() map[string]int32 {
	const codes = "aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd btn bwp byn bzd " +
		"cad cdf chf clp cny cop crc cup cve czk djf dkk dop dzd egp ern etb eur fjd fkp gbp gel ghs gip gmd gnf gtq gyd " +
		"hkd hnl htg huf idr ils inr iqd irr isk jmd jod jpy kes kgs khr kmf kpw krw kwd kyd kzt lak lbp lkr lrd lsl lyd " +
		"mad mdl mga mkd mmk mnt mop mru mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab pen pgk php pkr pln pyg " +
		"qar ron rsd rub rwf sar sbd scr sdg sek sgd shp sle sll sos srd ssp stn svc syp szl thb tjs tmt tnd top try ttd " +
		"twd tzs uah ugx usd uyu uzs ves vnd vuv wst xaf xcd xof xpf yer zar zmw zwl"
	m := make(map[string]int32, 170)
	for _, c := range strings.Fields(codes) {
		m[c] = 2
	}
	for _, c := range strings.Fields("bif clp djf gnf isk jpy kmf krw pyg rwf ugx vnd vuv xaf xof xpf") {
		m[c] = 0
	}
	for _, c := range strings.Fields("bhd iqd jod kwd lyd omr tnd") {
		m[c] = 3
	}
	return m
}()

// Balances is a balance per currency (lower-case ISO 4217 code). A missing
// currency is a zero balance; a nil Balances is an empty one and reads as
// zero everywhere. It is a map: Clone it before sharing.
type Balances map[string]decimal.Decimal

// BalancesOf returns the balances holding ms, amounts in one currency
// added together; nil when ms is empty. It does not validate: Validate (of
// the Account or Platform holding it) does.
func BalancesOf(ms ...Money) Balances {
	var b Balances
	for _, m := range ms {
		b = b.Add(m)
	}
	return b
}

// Get returns the balance in currency c as Money, zero in c when there is
// none.
func (b Balances) Get(c string) Money { return Money{Amount: b[c], Currency: c} }

// Add returns a new Balances with m added in m's currency (a negative m
// subtracts); b is not changed. An amount out of bounds (MaxAmountDigits,
// MaxAmountScale) on either side leaves the result out of bounds, so that
// Validate refuses it; the addition is not attempted.
func (b Balances) Add(m Money) Balances {
	out := make(Balances, len(b)+1)
	for c, d := range b {
		out[c] = d
	}
	cur, ok := out[m.Currency]
	switch {
	case !ok:
		out[m.Currency] = m.Amount
	case bounded(cur) && bounded(m.Amount):
		out[m.Currency] = cur.Add(m.Amount)
	default:
		out[m.Currency] = outOfBounds
	}
	return out
}

// outOfBounds is an amount bounded refuses, kept where an addition was not
// attempted. Read-only after package initialisation.
var outOfBounds = decimal.New(1, MaxAmountDigits+1)

// Clone returns a copy of b that shares no map with it (nil stays nil).
func (b Balances) Clone() Balances {
	if b == nil {
		return nil
	}
	return maps.Clone(b)
}

// validate reports every balance that is in an unknown currency, out of
// bounds, not exact in its currency's minor units, or negative (a balance
// changes only through funds moves, which never overdraw it).
func (b Balances) validate(field string) error {
	var errs []error
	for c, d := range b {
		if !exactIn(d, c) || d.Sign() < 0 {
			errs = append(errs, &RuleError{Rule: "A7", Field: fmt.Sprintf("%s[%q]", field, c), Err: ErrInvalid})
		}
	}
	return errors.Join(errs...)
}

// MarshalJSON encodes b as an object of decimal strings, such as
// {"usd":"12.50"}. A balance out of bounds (MaxAmountDigits,
// MaxAmountScale) is an error matching ErrInvalid, found before anything is
// formatted. It reads none of the decimal package's globals.
func (b Balances) MarshalJSON() ([]byte, error) {
	if b == nil {
		return []byte("null"), nil
	}
	out := make(map[string]string, len(b))
	for c, d := range b {
		if !bounded(d) {
			return nil, &RuleError{Rule: "A7", Field: fmt.Sprintf("Balance[%q]", c), Err: ErrInvalid}
		}
		out[c] = d.String()
	}
	return json.Marshal(out)
}

// UnmarshalJSON decodes an object of decimal strings or numbers. An amount
// longer than 64 bytes or out of bounds (MaxAmountDigits, MaxAmountScale)
// is an error matching ErrInvalid, found before any arithmetic. Currencies
// and signs are checked by Validate, not here.
func (b *Balances) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("%w: balances: %w", ErrInvalid, err)
	}
	if raw == nil {
		*b = nil
		return nil
	}
	out := make(Balances, len(raw))
	for c, v := range raw {
		text, err := amountText(v)
		if err != nil || len(text) > maxAmountText {
			return &RuleError{Rule: "A7", Field: fmt.Sprintf("Balance[%q]", c), Err: ErrInvalid}
		}
		d, err := decimal.NewFromString(text)
		if err != nil || !bounded(d) {
			return &RuleError{Rule: "A7", Field: fmt.Sprintf("Balance[%q]", c), Err: ErrInvalid}
		}
		out[c] = d
	}
	*b = out
	return nil
}
