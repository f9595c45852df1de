package relink

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

const objectName = "financial_connections.account"

// The members relink decodes into fields, by object; every other member
// of these objects is kept in the object's Extra.
var (
	accountMembers = []string{"id", "object", "livemode", "status", "status_details", "authorization",
		"account_holder", "permissions", "account_numbers"}
	detailsMembers  = []string{"active", "inactive"}
	activeMembers   = []string{"action", "cause", "expected_deactivation_date"}
	inactiveMembers = []string{"action", "cause"}
	holderMembers   = []string{"type", "customer", "customer_account", "account", "email"}
	numberMembers   = []string{"expected_expiry_date", "identifier_type", "status", "supported_networks"}
)

// The modelled members MarshalJSON writes even when their field is zero
// (as "financial_connections.account", false, null or ""), by object, in
// the order Account.Unsent and AccountNumber.Unsent list them. Every other
// modelled member is written only when its field is not zero or Extra
// keeps it, so it needs no Unsent; id, status, account_holder.type and
// account_numbers[].status are required.
var (
	accountDefaults = []string{"object", "livemode", "account_holder", "permissions", "account_numbers"}
	numberDefaults  = []string{"expected_expiry_date", "identifier_type"}
)

// unsentOf returns the names in defaults that the JSON object all lacks,
// in the order of defaults; nil when it has them all.
func unsentOf(all map[string]json.RawMessage, defaults []string) []string {
	var out []string
	for _, name := range defaults {
		if _, ok := all[name]; !ok {
			out = append(out, name)
		}
	}
	return out
}

// validUnsent reports whether unsent names members of defaults, each once
// and in their order, whose fields are zero and that extra does not keep.
// It does not allocate.
func validUnsent(unsent, defaults []string, extra map[string]json.RawMessage, zero func(string) bool) bool {
	next := 0
	for _, name := range unsent {
		i := slices.Index(defaults[next:], name)
		if i < 0 || !zero(name) {
			return false
		}
		if _, kept := extra[name]; kept {
			return false
		}
		next += i + 1
	}
	return true
}

// Modelled members that MarshalJSON writes only when their field is not
// zero, or writes in another form when it is zero (livemode false,
// identifier_type ""), with the empty forms Stripe may send them in
// (present but null, "" or {}). ParseAccount keeps such a member, sent
// empty where the field is zero, in the object's Extra as sent, and
// MarshalJSON writes Extra's value in place of the field's, so that it
// re-encodes as sent. account_holder.email has one more form, computed per
// holder (Holder.emptyForms): the holder's Email itself, when it is the
// expanded object's and so would not be written.
var (
	objectForms = []string{`null`, `{}`}
	stringForms = []string{`null`, `""`}
	nullForm    = []string{`null`}

	accountEmpty  = map[string][]string{"status_details": objectForms, "authorization": stringForms, "livemode": nullForm}
	detailsEmpty  = map[string][]string{"active": objectForms, "inactive": objectForms}
	activeEmpty   = map[string][]string{"action": stringForms, "cause": stringForms, "expected_deactivation_date": nullForm}
	inactiveEmpty = map[string][]string{"action": stringForms, "cause": stringForms}
	holderEmpty   = map[string][]string{"customer": stringForms, "customer_account": stringForms, "account": stringForms, "email": stringForms}
	numberEmpty   = map[string][]string{"supported_networks": nullForm, "identifier_type": nullForm}
)

// keepEmpty adds to *extra the members of one JSON object (all, by exact
// name) that forms names, sent in one of their empty forms, whose field
// omitted reports zero (so that MarshalJSON would not write them).
func keepEmpty(field string, extra *map[string]json.RawMessage, all map[string]json.RawMessage, forms map[string][]string, omitted func(string) bool) error {
	for name, fs := range forms {
		v, ok := all[name]
		if !ok {
			continue
		}
		c := canonicalJSON(v)
		if !slices.Contains(fs, string(c)) || !omitted(name) {
			continue
		}
		if *extra == nil {
			*extra = make(map[string]json.RawMessage)
		}
		if len(*extra) == MaxListLen {
			return &InvalidError{Field: field, Value: "too many members"}
		}
		(*extra)[name] = c
	}
	return nil
}

// The omitted functions say, per object, whether a modelled member's field
// is zero, so that MarshalJSON leaves the member out or writes its zero
// form — or, in place of either, the empty form Extra keeps for it, or
// nothing when Unsent names it.
func (a *Account) accountOmitted(name string) bool {
	switch name {
	case "object":
		return true
	case "livemode":
		return !a.Livemode
	case "account_holder":
		return a.Holder.isZero()
	case "permissions":
		return a.Permissions == nil
	case "account_numbers":
		return a.AccountNumbers == nil
	case "status_details":
		return a.Active.isZero() && a.Inactive.isZero() && len(a.StatusDetailsExtra) == 0
	case "authorization":
		return a.Authorization == ""
	}
	return false
}

func (a *Account) detailsOmitted(name string) bool {
	switch name {
	case "active":
		return a.Active.isZero()
	case "inactive":
		return a.Inactive.isZero()
	}
	return false
}

func (d *ActiveDetails) omitted(name string) bool {
	switch name {
	case "action":
		return d.Action == ""
	case "cause":
		return d.Cause == ""
	case "expected_deactivation_date":
		return !d.ExpectedDeactivation.Valid
	}
	return false
}

func (d *InactiveDetails) omitted(name string) bool {
	switch name {
	case "action":
		return d.Action == ""
	case "cause":
		return d.Cause == ""
	}
	return false
}

func (h *Holder) omitted(name string) bool {
	switch name {
	case "customer":
		return h.Customer == "" && h.CustomerObject == nil
	case "customer_account":
		return h.CustomerAccount == ""
	case "account":
		return h.Account == "" && h.AccountObject == nil
	case "email":
		return h.Email == h.objectEmail()
	}
	return false
}

// objectEmail is the email of the expanded Customer, else of the expanded
// Account: what Email is when the holder sends no email member.
func (h *Holder) objectEmail() string {
	if e := objectEmail(h.CustomerObject); e != "" {
		return e
	}
	return objectEmail(h.AccountObject)
}

func (n *AccountNumber) omitted(name string) bool {
	switch name {
	case "supported_networks":
		return n.SupportedNetworks == nil
	case "identifier_type":
		return n.IdentifierType == ""
	case "expected_expiry_date":
		return !n.ExpectedExpiry.Valid
	}
	return false
}

// emptyForms are holderEmpty with, when Email is the expanded object's
// (so that MarshalJSON would not write it), Email itself as a JSON string:
// Stripe may send the email member equal to the object's.
// It reads the expanded objects only when Extra keeps such an email.
func (h *Holder) emptyForms() map[string][]string {
	v, kept := h.Extra["email"]
	if !kept || slices.Contains(holderEmpty["email"], string(v)) || h.Email == "" || !h.omitted("email") {
		return holderEmpty
	}
	e, _ := json.Marshal(h.Email)
	forms := maps.Clone(holderEmpty)
	forms["email"] = append(slices.Clone(forms["email"]), string(e))
	return forms
}

// decodeMember decodes the member name of all, when present, into v (JSON
// null leaves v as it is). field names the object, for errors.
func decodeMember(field string, all map[string]json.RawMessage, name string, v any) error {
	raw, ok := all[name]
	if !ok {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%w: decoding financial connections account member %s.%s: %w", ErrInvalid, field, name, err)
	}
	return nil
}

// decodeTimestamp decodes the member name of all, a JSON number of Unix
// seconds or null, into *ts.
func decodeTimestamp(field string, all map[string]json.RawMessage, name string, ts *Timestamp) error {
	var n *unixNumber
	if err := decodeMember(field, all, name, &n); err != nil || n == nil {
		return err
	}
	t, err := parseUnix(field+"."+name, *n)
	if err != nil {
		return err
	}
	*ts = t
	return nil
}

// unknownMembers returns the members of one JSON object (all, by exact
// name) that members does not name, each in canonical JSON, or nil when
// there are none. A name that differs from a modelled member's only in
// case is such a member. More than MaxListLen unknown members is an
// *InvalidError.
func unknownMembers(field string, all map[string]json.RawMessage, members []string) (map[string]json.RawMessage, error) {
	var extra map[string]json.RawMessage
	for name, v := range all {
		if slices.Contains(members, name) {
			continue
		}
		if extra == nil {
			extra = make(map[string]json.RawMessage)
		}
		if len(extra) == MaxListLen {
			return nil, &InvalidError{Field: field, Value: "too many members"}
		}
		extra[name] = canonicalJSON(v)
	}
	return extra, nil
}

// withExtra returns v, a wire struct that encodes as a JSON object, less
// the members unsent names and merged with the members kept for it in
// extra (which win); v itself when there are none.
func withExtra(v any, extra map[string]json.RawMessage, unsent []string) (any, error) {
	if len(extra) == 0 && len(unsent) == 0 {
		return v, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for _, k := range unsent {
		delete(m, k)
	}
	for k, x := range extra {
		m[k] = x
	}
	return m, nil
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
// re-encodes what Stripe sent. Members are read by exact name at every
// level (the account, status_details, .active, .inactive, account_holder,
// an expanded customer's or account's id and email, each
// account_numbers[] entry): a member whose name differs from a modelled
// one only in case ("Status", "ſtatus") is an unknown member of its
// object, kept verbatim in that object's Extra beside the modelled
// member, never read as it nor standing in for it when it is missing. So
// a reader that folds case (encoding/json's struct decoding) may read
// such JSON, including MarshalJSON's, differently from relink: read it
// with ParseAccount. Unknown values of status, either action,
// holder type and account number status are errors matching ErrInvalid,
// because they decide eligibility; unknown causes, permissions, identifier
// types and networks are kept. Timestamps are read exactly (year 1 is an
// instant, null is absent); one outside years 1–9999 is an *InvalidError.
// account_holder.email is a connectkit extension (Stripe's object does not
// carry the email): it is read when present, and otherwise the email of an
// expanded Customer or Account is used.
//
// Input over MaxAccountJSON bytes or nested deeper than MaxJSONDepth,
// malformed JSON, JSON of the wrong shape, and text encoding/json would
// read lossily — invalid UTF-8, an escaped lone surrogate such as \ud800
// (both of which it turns into U+FFFD, so two IDs would collide) or an
// object with a member twice (at any depth; the last would silently win)
// — are errors matching ErrInvalid too. ParseAccount never panics, and its time and memory are
// proportional to the input's size.
func ParseAccount(data []byte) (Account, error) {
	if len(data) > MaxAccountJSON {
		return Account{}, &InvalidError{Field: "account", Value: fmt.Sprintf("%d bytes, over %d", len(data), MaxAccountJSON)}
	}
	if err := strictText("account", data); err != nil {
		return Account{}, err
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
			err = a.decodeDetails(raw)
		case "account_holder":
			err = a.decodeHolder(raw)
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
			err = a.decodeNumbers(raw)
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
	if err := keepEmpty("account", &a.Extra, members, accountEmpty, a.accountOmitted); err != nil {
		return Account{}, err
	}
	a.Unsent = unsentOf(members, accountDefaults)
	if err := a.Validate(); err != nil {
		return Account{}, err
	}
	return *a, nil
}

func (a *Account) decodeDetails(raw json.RawMessage) error {
	all, err := objectMembers("status_details", raw)
	if err != nil || all == nil {
		return err
	}
	if a.StatusDetailsExtra, err = unknownMembers("status_details", all, detailsMembers); err != nil {
		return err
	}
	if act, ok := all["active"]; ok {
		if err := a.Active.decode(act); err != nil {
			return err
		}
	}
	if inact, ok := all["inactive"]; ok {
		if err := a.Inactive.decode(inact); err != nil {
			return err
		}
	}
	return keepEmpty("status_details", &a.StatusDetailsExtra, all, detailsEmpty, a.detailsOmitted)
}

// decode reads status_details.active, by exact member name, into d.
func (d *ActiveDetails) decode(raw json.RawMessage) error {
	const field = "status_details.active"
	all, err := objectMembers(field, raw)
	if err != nil || all == nil {
		return err
	}
	var x ActiveDetails
	if err := decodeMember(field, all, "action", (*string)(&x.Action)); err != nil {
		return err
	}
	if err := decodeMember(field, all, "cause", (*string)(&x.Cause)); err != nil {
		return err
	}
	if err := decodeTimestamp(field, all, "expected_deactivation_date", &x.ExpectedDeactivation); err != nil {
		return err
	}
	if x.Extra, err = unknownMembers(field, all, activeMembers); err != nil {
		return err
	}
	if err := keepEmpty(field, &x.Extra, all, activeEmpty, x.omitted); err != nil {
		return err
	}
	*d = x
	return nil
}

// decode reads status_details.inactive, by exact member name, into d.
func (d *InactiveDetails) decode(raw json.RawMessage) error {
	const field = "status_details.inactive"
	all, err := objectMembers(field, raw)
	if err != nil || all == nil {
		return err
	}
	var x InactiveDetails
	if err := decodeMember(field, all, "action", (*string)(&x.Action)); err != nil {
		return err
	}
	if err := decodeMember(field, all, "cause", (*string)(&x.Cause)); err != nil {
		return err
	}
	if x.Extra, err = unknownMembers(field, all, inactiveMembers); err != nil {
		return err
	}
	if err := keepEmpty(field, &x.Extra, all, inactiveEmpty, x.omitted); err != nil {
		return err
	}
	*d = x
	return nil
}

func (a *Account) decodeHolder(raw json.RawMessage) error {
	const field = "account_holder"
	all, err := objectMembers(field, raw)
	if err != nil || all == nil {
		return err
	}
	var h Holder
	if err := decodeMember(field, all, "type", (*string)(&h.Type)); err != nil {
		return err
	}
	if h.Type == "" {
		return &InvalidError{Field: "account_holder.type", Value: ""}
	}
	var objEmail string
	if h.Customer, h.CustomerObject, objEmail, err = idOrObject("account_holder.customer", all["customer"]); err != nil {
		return err
	}
	var accEmail string
	if h.Account, h.AccountObject, accEmail, err = idOrObject("account_holder.account", all["account"]); err != nil {
		return err
	}
	if objEmail == "" {
		objEmail = accEmail
	}
	if err := decodeMember(field, all, "customer_account", &h.CustomerAccount); err != nil {
		return err
	}
	h.Email = objEmail
	var email *string
	if err := decodeMember(field, all, "email", &email); err != nil {
		return err
	}
	if email != nil {
		h.Email = *email
	}
	if h.Extra, err = unknownMembers(field, all, holderMembers); err != nil {
		return err
	}
	if email != nil && h.omitted("email") && h.Email != "" {
		// sent equal to the expanded object's email: kept as sent
		if h.Extra == nil {
			h.Extra = make(map[string]json.RawMessage)
		}
		if len(h.Extra) == MaxListLen {
			return &InvalidError{Field: field, Value: "too many members"}
		}
		h.Extra["email"], _ = json.Marshal(h.Email)
	}
	if err := keepEmpty(field, &h.Extra, all, holderEmpty, h.omitted); err != nil {
		return err
	}
	a.Holder = h
	return nil
}

// idOrObject reads a member that is an ID or an expanded object with an
// "id" (and maybe an "email"), both read by exact member name.
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
		id, idOK := objectString(raw, "id")
		if !idOK || id == "" {
			return "", nil, "", &InvalidError{Field: field, Value: "an expanded object without an id"}
		}
		email, emailOK := objectString(raw, "email")
		if !emailOK {
			return "", nil, "", &InvalidError{Field: field + ".email", Value: "not a string"}
		}
		return id, canonicalJSON(raw), email, nil
	}
	return "", nil, "", &InvalidError{Field: field, Value: string(raw)}
}

func (a *Account) decodeNumbers(raw json.RawMessage) error {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return fmt.Errorf("%w: decoding financial connections account member account_numbers: %w", ErrInvalid, err)
	}
	if items == nil {
		return nil
	}
	if len(items) > MaxListLen {
		return &InvalidError{Field: "account_numbers", Value: "too many"}
	}
	a.AccountNumbers = make([]AccountNumber, len(items))
	for i, item := range items {
		if err := a.AccountNumbers[i].decode(item); err != nil {
			return err
		}
	}
	return nil
}

// decode reads one account_numbers entry, by exact member name, into n
// (null reads as the zero AccountNumber, which Validate refuses).
func (n *AccountNumber) decode(raw json.RawMessage) error {
	const field = "account_numbers"
	all, err := objectMembers(field, raw)
	if err != nil || all == nil {
		return err
	}
	var x AccountNumber
	if err := decodeMember(field, all, "identifier_type", (*string)(&x.IdentifierType)); err != nil {
		return err
	}
	if err := decodeMember(field, all, "status", (*string)(&x.Status)); err != nil {
		return err
	}
	if err := decodeTimestamp(field, all, "expected_expiry_date", &x.ExpectedExpiry); err != nil {
		return err
	}
	var nws *[]string
	if err := decodeMember(field, all, "supported_networks", &nws); err != nil {
		return err
	}
	if nws != nil {
		if len(*nws) > MaxListLen {
			return &InvalidError{Field: "account_numbers.supported_networks", Value: "too many"}
		}
		x.SupportedNetworks = make([]Network, len(*nws))
		for j, nw := range *nws {
			x.SupportedNetworks[j] = Network(nw)
		}
	}
	if x.Extra, err = unknownMembers(field, all, numberMembers); err != nil {
		return err
	}
	if err := keepEmpty(field, &x.Extra, all, numberEmpty, x.omitted); err != nil {
		return err
	}
	x.Unsent = unsentOf(all, numberDefaults)
	*n = x
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

// objectString returns the member name, by exact name, of the JSON object
// o: "" and true when o has no such member or it is null, false when o is
// not an object or the member is not a string.
func objectString(o json.RawMessage, name string) (string, bool) {
	var all map[string]json.RawMessage
	if json.Unmarshal(o, &all) != nil || all == nil {
		return "", false
	}
	var s *string
	if v, ok := all[name]; ok && json.Unmarshal(v, &s) != nil {
		return "", false
	}
	if s == nil {
		return "", true
	}
	return *s, true
}

// objectID returns the "id" of a JSON object, or "".
func objectID(o json.RawMessage) string {
	id, _ := objectString(o, "id")
	return id
}

// objectEmail returns the "email" of a JSON object, or "".
func objectEmail(o json.RawMessage) string {
	if o == nil {
		return ""
	}
	e, _ := objectString(o, "email")
	return e
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
	out["id"] = a.ID
	out["object"] = objectName
	out["livemode"] = a.Livemode
	out["status"] = a.Status
	if !a.Active.isZero() || !a.Inactive.isZero() || len(a.StatusDetailsExtra) > 0 {
		d := make(map[string]any, 2+len(a.StatusDetailsExtra))
		for k, v := range a.StatusDetailsExtra {
			d[k] = v
		}
		if !a.Active.isZero() {
			w := wireActive{Action: string(a.Active.Action), Cause: string(a.Active.Cause)}
			if ts := a.Active.ExpectedDeactivation; ts.Valid {
				n := unixNumber(strconv.FormatInt(ts.Time.Unix(), 10))
				w.ExpectedDeactivationDate = &n
			}
			v, err := withExtra(w, a.Active.Extra, nil)
			if err != nil {
				return nil, err
			}
			d["active"] = v
		}
		if !a.Inactive.isZero() {
			v, err := withExtra(wireInactive{Action: string(a.Inactive.Action), Cause: string(a.Inactive.Cause)}, a.Inactive.Extra, nil)
			if err != nil {
				return nil, err
			}
			d["inactive"] = v
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
		v, err := withExtra(w, h.Extra, nil)
		if err != nil {
			return nil, err
		}
		out["account_holder"] = v
	}
	if a.Permissions == nil {
		out["permissions"] = nil
	} else {
		out["permissions"] = a.Permissions
	}
	if a.AccountNumbers == nil {
		out["account_numbers"] = nil
	} else {
		ws := make([]any, len(a.AccountNumbers))
		for i, n := range a.AccountNumbers {
			w := wireNumber{IdentifierType: string(n.IdentifierType), Status: string(n.Status)}
			if n.ExpectedExpiry.Valid {
				x := unixNumber(strconv.FormatInt(n.ExpectedExpiry.Time.Unix(), 10))
				w.ExpectedExpiryDate = &x
			}
			if n.SupportedNetworks != nil {
				nws := make([]string, len(n.SupportedNetworks))
				for j, nw := range n.SupportedNetworks {
					nws[j] = string(nw)
				}
				w.SupportedNetworks = &nws
			}
			v, err := withExtra(w, n.Extra, n.Unsent)
			if err != nil {
				return nil, err
			}
			ws[i] = v
		}
		out["account_numbers"] = ws
	}
	for _, k := range a.Unsent {
		delete(out, k)
	}
	for k, v := range a.Extra {
		out[k] = v
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
