package relink

import (
	"encoding/json"
	"fmt"
	"time"
)

// wireAccount is Stripe's JSON shape of a Financial Connections account,
// reduced to the fields relink uses.
type wireAccount struct {
	ID             string       `json:"id"`
	Object         string       `json:"object,omitempty"`
	Livemode       bool         `json:"livemode"`
	Status         string       `json:"status"`
	StatusDetails  *wireDetails `json:"status_details,omitempty"`
	AccountHolder  *wireHolder  `json:"account_holder,omitempty"`
	Permissions    []string     `json:"permissions"`
	AccountNumbers []wireNumber `json:"account_numbers"`
}

type wireDetails struct {
	Inactive *wireInactive `json:"inactive,omitempty"`
}

type wireInactive struct {
	Action string `json:"action,omitempty"`
	Cause  string `json:"cause,omitempty"`
}

type wireHolder struct {
	Type     string `json:"type"`
	Customer string `json:"customer,omitempty"`
	Account  string `json:"account,omitempty"`
	Email    string `json:"email,omitempty"`
}

type wireNumber struct {
	ExpectedExpiryDate *int64 `json:"expected_expiry_date"`
	IdentifierType     string `json:"identifier_type"`
	Status             string `json:"status"`
}

// minUnix and maxUnix bound expected_expiry_date to years 0001–9999 so that a hostile
// value cannot overflow time arithmetic.
const (
	minUnix = -62135596800
	maxUnix = 253402300799
)

// ParseAccount decodes a Financial Connections account from Stripe's JSON
// (K1) and validates it. Unknown values of status, inactive action, holder
// type and account number status are errors matching ErrInvalid, because
// they decide eligibility; unknown causes, permissions and identifier types
// are kept. account_holder.email is a connectkit extension (Stripe's object
// does not carry the email): it is read when present. Malformed JSON is an
// error matching ErrInvalid too. ParseAccount never panics.
func ParseAccount(data []byte) (*Account, error) {
	var w wireAccount
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("%w: decoding financial connections account: %w", ErrInvalid, err)
	}
	a := &Account{
		ID:       AccountID(w.ID),
		Livemode: w.Livemode,
		Status:   Status(w.Status),
	}
	if w.StatusDetails != nil && w.StatusDetails.Inactive != nil {
		a.Inactive = InactiveDetails{
			Action: InactiveAction(w.StatusDetails.Inactive.Action),
			Cause:  InactiveCause(w.StatusDetails.Inactive.Cause),
		}
	}
	if h := w.AccountHolder; h != nil {
		a.Holder = Holder{Type: HolderType(h.Type), Customer: h.Customer, Account: h.Account, Email: h.Email}
		if a.Holder.Type == "" {
			return nil, &InvalidError{Field: "account_holder.type", Value: ""}
		}
	}
	for _, p := range w.Permissions {
		a.Permissions = append(a.Permissions, Permission(p))
	}
	for _, n := range w.AccountNumbers {
		an := AccountNumber{IdentifierType: IdentifierType(n.IdentifierType), Status: NumberStatus(n.Status)}
		if n.ExpectedExpiryDate != nil {
			s := *n.ExpectedExpiryDate
			if s < minUnix || s > maxUnix {
				return nil, &InvalidError{Field: "account_numbers.expected_expiry_date", Value: fmt.Sprint(s)}
			}
			an.ExpectedExpiry = time.Unix(s, 0).UTC()
		}
		a.AccountNumbers = append(a.AccountNumbers, an)
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return a, nil
}

// MarshalJSON encodes a in Stripe's shape, so that ParseAccount reads it
// back. Expiry instants are written as Unix seconds (sub-second parts are
// dropped, as Stripe has none).
func (a Account) MarshalJSON() ([]byte, error) {
	w := wireAccount{
		ID:             string(a.ID),
		Object:         "financial_connections.account",
		Livemode:       a.Livemode,
		Status:         string(a.Status),
		Permissions:    make([]string, 0, len(a.Permissions)),
		AccountNumbers: make([]wireNumber, len(a.AccountNumbers)),
	}
	if a.Inactive != (InactiveDetails{}) {
		w.StatusDetails = &wireDetails{Inactive: &wireInactive{Action: string(a.Inactive.Action), Cause: string(a.Inactive.Cause)}}
	}
	if a.Holder != (Holder{}) {
		w.AccountHolder = &wireHolder{Type: string(a.Holder.Type), Customer: a.Holder.Customer, Account: a.Holder.Account, Email: a.Holder.Email}
	}
	for _, p := range a.Permissions {
		w.Permissions = append(w.Permissions, string(p))
	}
	for i, n := range a.AccountNumbers {
		w.AccountNumbers[i].IdentifierType = string(n.IdentifierType)
		w.AccountNumbers[i].Status = string(n.Status)
		if !n.ExpectedExpiry.IsZero() {
			s := n.ExpectedExpiry.Unix()
			w.AccountNumbers[i].ExpectedExpiryDate = &s
		}
	}
	return json.Marshal(w)
}
