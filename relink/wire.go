package relink

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

const objectName = "financial_connections.account"

// modelled reports whether name is a top-level member of the account that
// relink decodes into a field rather than keeping in Extra.
func modelled(name string) bool {
	switch name {
	case "id", "object", "livemode", "status", "status_details", "authorization",
		"account_holder", "permissions", "account_numbers":
		return true
	}
	return false
}

type wireDetails struct {
	Active   *wireActive   `json:"active,omitempty"`
	Inactive *wireInactive `json:"inactive,omitempty"`
}

type wireActive struct {
	Action                   string      `json:"action,omitempty"`
	Cause                    string      `json:"cause,omitempty"`
	ExpectedDeactivationDate *unixNumber `json:"expected_deactivation_date,omitempty"`
}

type wireInactive struct {
	Action string `json:"action,omitempty"`
	Cause  string `json:"cause,omitempty"`
}

type wireHolder struct {
	Type            string          `json:"type"`
	Customer        json.RawMessage `json:"customer,omitempty"`
	CustomerAccount *string         `json:"customer_account,omitempty"`
	Account         json.RawMessage `json:"account,omitempty"`
	Email           *string         `json:"email,omitempty"`
}

type wireNumber struct {
	ExpectedExpiryDate *unixNumber `json:"expected_expiry_date"`
	IdentifierType     string      `json:"identifier_type"`
	Status             string      `json:"status"`
	SupportedNetworks  *[]string   `json:"supported_networks,omitempty"`
}

// ParseAccount decodes a Financial Connections account from Stripe's JSON
// (K1) and validates it (Account.Validate).
//
// Every member in Stripe's documentation that bears on relink is read:
// status, status_details.active (GA) and .inactive (BETA), authorization
// (BETA), account_holder with customer or account as an ID or an expanded
// object and customer_account, permissions, and account_numbers[] with
// supported_networks. Every other member is kept in Extra, so MarshalJSON
// re-encodes what Stripe sent. Unknown values of status, either action,
// holder type and account number status are errors matching ErrInvalid,
// because they decide eligibility; unknown causes, permissions, identifier
// types and networks are kept. Timestamps are read exactly (year 1 is an
// instant, null is absent); one outside years 1–9999 is an *InvalidError.
// account_holder.email is a connectkit extension (Stripe's object does not
// carry the email): it is read when present, and otherwise the email of an
// expanded Customer or Account is used.
//
// Input over MaxAccountJSON bytes or nested deeper than MaxJSONDepth,
// malformed JSON and JSON of the wrong shape are errors matching
// ErrInvalid too. ParseAccount never panics, and its time and memory are
// proportional to the input's size.
func ParseAccount(data []byte) (Account, error) {
	if len(data) > MaxAccountJSON {
		return Account{}, &InvalidError{Field: "account", Value: fmt.Sprintf("%d bytes, over %d", len(data), MaxAccountJSON)}
	}
	if depth(data) > MaxJSONDepth {
		return Account{}, &InvalidError{Field: "account", Value: fmt.Sprintf("nested over %d deep", MaxJSONDepth)}
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return Account{}, fmt.Errorf("%w: decoding financial connections account: %w", ErrInvalid, err)
	}
	a := &Account{}
	dec := func(name string, raw json.RawMessage, v any) error {
		if err := json.Unmarshal(raw, v); err != nil {
			return fmt.Errorf("%w: decoding financial connections account member %s: %w", ErrInvalid, name, err)
		}
		return nil
	}
	for name, raw := range members {
		var err error
		switch name {
		case "id":
			err = dec(name, raw, (*string)(&a.ID))
		case "object":
			var o string
			if err = dec(name, raw, &o); err == nil && o != objectName {
				err = &InvalidError{Field: "object", Value: o}
			}
		case "livemode":
			err = dec(name, raw, &a.Livemode)
		case "status":
			err = dec(name, raw, (*string)(&a.Status))
		case "authorization":
			err = dec(name, raw, (*string)(&a.Authorization))
		case "status_details":
			err = a.decodeDetails(raw, dec)
		case "account_holder":
			err = a.decodeHolder(raw, dec)
		case "permissions":
			var ps []string
			if err = dec(name, raw, &ps); err == nil && ps != nil {
				if len(ps) > MaxListLen {
					return Account{}, &InvalidError{Field: "permissions", Value: "too many"}
				}
				a.Permissions = make([]Permission, len(ps))
				for i, p := range ps {
					a.Permissions[i] = Permission(p)
				}
			}
		case "account_numbers":
			err = a.decodeNumbers(raw, dec)
		default:
			if a.Extra == nil {
				a.Extra = make(map[string]json.RawMessage)
			}
			a.Extra[name] = canonicalJSON(raw)
		}
		if err != nil {
			return Account{}, err
		}
	}
	if err := a.Validate(); err != nil {
		return Account{}, err
	}
	return *a, nil
}

func (a *Account) decodeDetails(raw json.RawMessage, dec func(string, json.RawMessage, any) error) error {
	var w *wireDetails
	if err := dec("status_details", raw, &w); err != nil || w == nil {
		return err
	}
	if x := w.Active; x != nil {
		a.Active = ActiveDetails{Action: Action(x.Action), Cause: Cause(x.Cause)}
		if x.ExpectedDeactivationDate != nil {
			ts, err := parseUnix("status_details.active.expected_deactivation_date", *x.ExpectedDeactivationDate)
			if err != nil {
				return err
			}
			a.Active.ExpectedDeactivation = ts
		}
	}
	if x := w.Inactive; x != nil {
		a.Inactive = InactiveDetails{Action: Action(x.Action), Cause: Cause(x.Cause)}
	}
	return nil
}

func (a *Account) decodeHolder(raw json.RawMessage, dec func(string, json.RawMessage, any) error) error {
	var w *wireHolder
	if err := dec("account_holder", raw, &w); err != nil || w == nil {
		return err
	}
	h := Holder{Type: HolderType(w.Type)}
	if h.Type == "" {
		return &InvalidError{Field: "account_holder.type", Value: ""}
	}
	var objEmail string
	var err error
	if h.Customer, h.CustomerObject, objEmail, err = idOrObject("account_holder.customer", w.Customer); err != nil {
		return err
	}
	var accEmail string
	if h.Account, h.AccountObject, accEmail, err = idOrObject("account_holder.account", w.Account); err != nil {
		return err
	}
	if objEmail == "" {
		objEmail = accEmail
	}
	if w.CustomerAccount != nil {
		h.CustomerAccount = *w.CustomerAccount
	}
	h.Email = objEmail
	if w.Email != nil {
		h.Email = *w.Email
	}
	a.Holder = h
	return nil
}

// idOrObject reads a member that is an ID or an expanded object with an
// "id" (and maybe an "email").
func idOrObject(field string, raw json.RawMessage) (id string, obj json.RawMessage, email string, err error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "", nil, "", nil
	case raw[0] == '"':
		if err := json.Unmarshal(raw, &id); err != nil {
			return "", nil, "", fmt.Errorf("%w: decoding %s: %w", ErrInvalid, field, err)
		}
		return id, nil, "", nil
	case raw[0] == '{':
		var o struct {
			ID    *string `json:"id"`
			Email *string `json:"email"`
		}
		if err := json.Unmarshal(raw, &o); err != nil || o.ID == nil || *o.ID == "" {
			return "", nil, "", &InvalidError{Field: field, Value: "an expanded object without an id"}
		}
		if o.Email != nil {
			email = *o.Email
		}
		return *o.ID, canonicalJSON(raw), email, nil
	}
	return "", nil, "", &InvalidError{Field: field, Value: string(raw)}
}

func (a *Account) decodeNumbers(raw json.RawMessage, dec func(string, json.RawMessage, any) error) error {
	var ws []wireNumber
	if err := dec("account_numbers", raw, &ws); err != nil || ws == nil {
		return err
	}
	if len(ws) > MaxListLen {
		return &InvalidError{Field: "account_numbers", Value: "too many"}
	}
	a.AccountNumbers = make([]AccountNumber, len(ws))
	for i, w := range ws {
		n := AccountNumber{IdentifierType: IdentifierType(w.IdentifierType), Status: NumberStatus(w.Status)}
		if w.ExpectedExpiryDate != nil {
			ts, err := parseUnix("account_numbers.expected_expiry_date", *w.ExpectedExpiryDate)
			if err != nil {
				return err
			}
			n.ExpectedExpiry = ts
		}
		if w.SupportedNetworks != nil {
			if len(*w.SupportedNetworks) > MaxListLen {
				return &InvalidError{Field: "account_numbers.supported_networks", Value: "too many"}
			}
			n.SupportedNetworks = make([]Network, len(*w.SupportedNetworks))
			for j, nw := range *w.SupportedNetworks {
				n.SupportedNetworks[j] = Network(nw)
			}
		}
		a.AccountNumbers[i] = n
	}
	return nil
}

// unixNumber is a JSON number as sent: a JSON string is refused.
type unixNumber string

// UnmarshalJSON implements json.Unmarshaler.
func (u *unixNumber) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || (b[0] != '-' && (b[0] < '0' || b[0] > '9')) {
		return fmt.Errorf("%w: a timestamp must be a JSON number", ErrInvalid)
	}
	*u = unixNumber(b)
	return nil
}

// MarshalJSON implements json.Marshaler.
func (u unixNumber) MarshalJSON() ([]byte, error) { return []byte(u), nil }

// parseUnix reads integer Unix seconds exactly.
func parseUnix(field string, n unixNumber) (Timestamp, error) {
	s := string(n)
	if len(s) > 24 {
		s = s[:24]
	}
	sec, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		return Timestamp{}, &InvalidError{Field: field, Value: s}
	}
	return TimestampFromUnix(field, sec)
}

// depth returns how deeply data nests arrays and objects, skipping strings.
// It reads data once and does not allocate.
func depth(data []byte) int {
	d, max, inStr, esc := 0, 0, false, false
	for _, c := range data {
		switch {
		case inStr:
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			d++
			if d > max {
				max = d
			}
		case c == '}' || c == ']':
			d--
		}
	}
	return max
}

// canonicalJSON returns valid JSON v compacted and with <, >, &, U+2028 and
// U+2029 escaped and invalid UTF-8 replaced by U+FFFD, exactly as
// json.Marshal writes a json.RawMessage, so that it re-encodes to itself.
func canonicalJSON(v []byte) json.RawMessage {
	var c, h bytes.Buffer
	if err := json.Compact(&c, v); err != nil {
		return json.RawMessage(bytes.Clone(v)) // not reached: v came from the decoder
	}
	json.HTMLEscape(&h, c.Bytes())
	return json.RawMessage(strings.ToValidUTF8(h.String(), "\uFFFD"))
}

// objectID returns the "id" of a JSON object, or "".
func objectID(o json.RawMessage) string {
	var x struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(o, &x) != nil {
		return ""
	}
	return x.ID
}

// objectEmail returns the "email" of a JSON object, or "".
func objectEmail(o json.RawMessage) string {
	var x struct {
		Email string `json:"email"`
	}
	if o == nil || json.Unmarshal(o, &x) != nil {
		return ""
	}
	return x.Email
}

// MarshalJSON encodes a in Stripe's shape, with the members in Extra, so
// that ParseAccount reads it back equal: for every account ParseAccount
// accepts, ParseAccount(MarshalJSON(a)) is a. Timestamps are written as
// Unix seconds (sub-second parts are dropped, as Stripe has none). An
// account that Validate refuses is an error matching ErrInvalid.
func (a Account) MarshalJSON() ([]byte, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	out := make(map[string]any, 9+len(a.Extra))
	for k, v := range a.Extra {
		out[k] = v
	}
	out["id"] = a.ID
	out["object"] = objectName
	out["livemode"] = a.Livemode
	out["status"] = a.Status
	if a.Active != (ActiveDetails{}) || a.Inactive != (InactiveDetails{}) {
		var d wireDetails
		if a.Active != (ActiveDetails{}) {
			d.Active = &wireActive{Action: string(a.Active.Action), Cause: string(a.Active.Cause)}
			if ts := a.Active.ExpectedDeactivation; ts.Valid {
				n := unixNumber(strconv.FormatInt(ts.Time.Unix(), 10))
				d.Active.ExpectedDeactivationDate = &n
			}
		}
		if a.Inactive != (InactiveDetails{}) {
			d.Inactive = &wireInactive{Action: string(a.Inactive.Action), Cause: string(a.Inactive.Cause)}
		}
		out["status_details"] = d
	}
	if a.Authorization != "" {
		out["authorization"] = a.Authorization
	}
	if h := a.Holder; h.isZero() {
		out["account_holder"] = nil
	} else {
		w := wireHolder{Type: string(h.Type)}
		w.Customer = idOrObjectJSON(h.Customer, h.CustomerObject)
		w.Account = idOrObjectJSON(h.Account, h.AccountObject)
		if h.CustomerAccount != "" {
			w.CustomerAccount = &h.CustomerAccount
		}
		fromObject := objectEmail(h.CustomerObject)
		if fromObject == "" {
			fromObject = objectEmail(h.AccountObject)
		}
		if h.Email != fromObject {
			w.Email = &h.Email
		}
		out["account_holder"] = w
	}
	if a.Permissions == nil {
		out["permissions"] = nil
	} else {
		out["permissions"] = a.Permissions
	}
	if a.AccountNumbers == nil {
		out["account_numbers"] = nil
	} else {
		ws := make([]wireNumber, len(a.AccountNumbers))
		for i, n := range a.AccountNumbers {
			ws[i] = wireNumber{IdentifierType: string(n.IdentifierType), Status: string(n.Status)}
			if n.ExpectedExpiry.Valid {
				x := unixNumber(strconv.FormatInt(n.ExpectedExpiry.Time.Unix(), 10))
				ws[i].ExpectedExpiryDate = &x
			}
			if n.SupportedNetworks != nil {
				nws := make([]string, len(n.SupportedNetworks))
				for j, nw := range n.SupportedNetworks {
					nws[j] = string(nw)
				}
				ws[i].SupportedNetworks = &nws
			}
		}
		out["account_numbers"] = ws
	}
	return json.Marshal(out)
}

// idOrObjectJSON writes an expanded object as sent, or the ID as a string.
func idOrObjectJSON(id string, obj json.RawMessage) json.RawMessage {
	if obj != nil {
		return obj
	}
	if id == "" {
		return nil
	}
	b, _ := json.Marshal(id)
	return b
}
