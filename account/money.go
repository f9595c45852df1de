package account

import (
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/shopspring/decimal"
)

// Money is an exact amount in one currency. Currency is a lower-case
// ISO 4217 code such as "usd". The zero Money is zero in no currency and
// fails Validate. Arithmetic on amounts is exact (decimal.Decimal, no
// floats, no division).
type Money struct {
	Amount   decimal.Decimal
	Currency string
}

// ParseMoney parses an amount such as "12.50" in a currency such as "usd".
// A malformed amount, an unknown currency, or more fractional digits than
// the currency has (ISO 4217 minor units: "0.001 usd") is an error
// matching ErrInvalid. Zero and negative amounts parse; operations refuse
// them.
func ParseMoney(amount, currency string) (Money, error) {
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
// case) and the amount has no more fractional digits than that currency's
// minor unit. The error is a *RuleError matching ErrInvalid.
func (m Money) Validate() error {
	if !KnownCurrency(m.Currency) {
		return &RuleError{Rule: "A7", Field: "Money.Currency", Err: ErrInvalid}
	}
	if !exactIn(m.Amount, m.Currency) {
		return &RuleError{Rule: "A7", Field: "Money.Amount", Err: ErrInvalid}
	}
	return nil
}

// String returns the amount and currency, such as "12.50 usd".
//
// The amount is written with the currency's minor units ("25.00 usd",
// "500 jpy"), or as given when it has more places or the currency is unknown.
func (m Money) String() string {
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

// exactIn reports whether d is representable in currency c's minor units.
// It does not allocate unless d carries trailing zeros beyond them.
func exactIn(d decimal.Decimal, c string) bool {
	n, ok := minorUnits[c]
	if !ok {
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

// Get returns the balance in currency c, zero when there is none.
func (b Balances) Get(c string) decimal.Decimal { return b[c] }

// Money returns the balance in currency c as Money.
func (b Balances) Money(c string) Money { return Money{Amount: b[c], Currency: c} }

// Clone returns a copy of b that shares no map with it (nil stays nil).
func (b Balances) Clone() Balances {
	if b == nil {
		return nil
	}
	return maps.Clone(b)
}

func (b Balances) validate(field string) error {
	var errs []error
	for c := range b {
		if !KnownCurrency(c) {
			errs = append(errs, &RuleError{Rule: "A7", Field: fmt.Sprintf("%s[%q]", field, c), Err: ErrInvalid})
		}
	}
	return errors.Join(errs...)
}
