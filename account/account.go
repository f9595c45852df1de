// Package account is the connected-account aggregate, the platform's
// settings, and the platform operations on connected accounts (rules
// A1–A10 of the connectkit catalogue, from Stripe's "Manage individual
// accounts" guide).
//
// Every operation comes in two forms. The decision (CanCreate, CanRemove,
// CanSendFunds, CanPullFunds, CanEditAccountInformation,
// CanEditPayoutSchedule, CanViewSupportCases, ViewAs, InactivityHold) is a
// pure function of its inputs: it reads no clock and no store, does not
// allocate on the common path, and returns a Decision that lists every
// reason that failed. The Service applies the operations that change state:
// it reads from a Store, decides, and writes back with one conditional
// write, so that two replicas racing on one account cannot both win.
//
// A removed account (A6) refuses every operation with an error matching
// ErrRemoved.
package account

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/connectkit/connectkit/internal/secret"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/roles"
)

// ID identifies a connected account, such as "acct_1Nv0FGQ9RKHgCVdK".
// The empty ID identifies nothing and is invalid.
type ID string

// MaxIDLen is the longest ID, in bytes, that Valid accepts. Stripe's
// account IDs are about 21 characters; the bound keeps every Store's
// index and error messages small.
const MaxIDLen = 255

// Valid reports whether id can name an account in every Store: between 1
// and MaxIDLen bytes of printable ASCII without spaces (so no NUL, no
// invalid UTF-8, nothing a database or a log line could mangle).
func (id ID) Valid() bool {
	if len(id) == 0 || len(id) > MaxIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] >= 0x7f {
			return false
		}
	}
	return true
}

// validText reports whether s is at most max bytes of valid UTF-8 with no
// control characters (NUL among them): text every Store keeps faithfully.
func validText(s string, max int) bool {
	if len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}

// Bounds on the account's free text, in bytes.
const (
	maxNameLen  = 1000 // business and representative names
	maxEmailLen = 254  // RFC 5321's limit on a path
	maxURLLen   = 2048
)

// DashboardAccess is the Stripe Dashboard a connected account may use (A1).
// Wire values are Stripe's: "full", "express", "none". The empty value is
// not a dashboard access and fails Validate.
type DashboardAccess string

// The dashboard access values of rule A1.
const (
	DashboardFull    DashboardAccess = "full"
	DashboardExpress DashboardAccess = "express"
	DashboardNone    DashboardAccess = "none"
)

// Valid reports whether d is one of the three values of A1.
func (d DashboardAccess) Valid() bool {
	return d == DashboardFull || d == DashboardExpress || d == DashboardNone
}

// Party names who is responsible for something: Stripe or the platform
// ("application" in Stripe's wire vocabulary) (A1). The empty Party is not
// a party and fails Validate.
type Party string

// The responsible parties of rule A1.
const (
	PartyStripe      Party = "stripe"
	PartyApplication Party = "application"
)

// Valid reports whether p is one of the two parties of A1.
func (p Party) Valid() bool { return p == PartyStripe || p == PartyApplication }

// Components says which Connect embedded components the account uses (A1).
// The zero value uses none of them.
type Components struct {
	// Onboarding is the embedded account-onboarding component.
	Onboarding bool
	// NotificationBanner is the embedded notification-banner component.
	NotificationBanner bool
}

// Date is a calendar date without time zone, as a date of birth is.
// The zero Date means "not provided".
type Date struct {
	Year  int        // the year, such as 1980
	Month time.Month // the month, January = 1
	Day   int        // the day of the month, from 1
}

// IsZero reports whether d is the zero Date ("not provided").
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d names a real calendar day (the zero Date is not
// one).
func (d Date) Valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return t.Day() == d.Day && t.Month() == d.Month
}

// Representative is the account's primary representative. Only what the
// rules need is kept (L8, L10): full name, date of birth and the last four
// digits of the SSN, never a full SSN. The values are held inside a
// closure (internal/secret), where no printer working by reflection can
// reach them — not fmt on an Account held in an unexported field of a
// caller's struct, not go-cmp's reporter — and every fmt verb, slog
// handler and String redacts them, showing only the initials of the name.
// Read them with the accessors. Equal compares them, for go-cmp. The
// account's storage form (MarshalStorage) is the one encoding that carries
// them. The zero value is "no representative on file".
type Representative struct {
	data secret.Value[representative]
}

// representative is what a Representative holds.
type representative struct {
	FullName string
	DOB      Date
	SSNLast4 string
}

// NewRepresentative returns the representative with the given full name,
// date of birth and last four SSN digits (each may be empty or zero: not
// on file). It does not validate: Info.Validate and Account.Validate do.
func NewRepresentative(fullName string, dob Date, ssnLast4 string) Representative {
	v := representative{FullName: fullName, DOB: dob, SSNLast4: ssnLast4}
	if v == (representative{}) {
		return Representative{}
	}
	return Representative{data: secret.New(v)}
}

// FullName returns the representative's full name; empty when none is on
// file.
func (r Representative) FullName() string { return r.data.Get().FullName }

// DOB returns the representative's date of birth; the zero Date when none
// is on file.
func (r Representative) DOB() Date { return r.data.Get().DOB }

// SSNLast4 returns the last four digits of the representative's SSN; empty
// when none is on file.
func (r Representative) SSNLast4() string { return r.data.Get().SSNLast4 }

// WithFullName returns a copy of r with the full name replaced.
func (r Representative) WithFullName(name string) Representative {
	v := r.data.Get()
	return NewRepresentative(name, v.DOB, v.SSNLast4)
}

// WithDOB returns a copy of r with the date of birth replaced.
func (r Representative) WithDOB(dob Date) Representative {
	v := r.data.Get()
	return NewRepresentative(v.FullName, dob, v.SSNLast4)
}

// WithSSNLast4 returns a copy of r with the SSN's last four digits
// replaced.
func (r Representative) WithSSNLast4(last4 string) Representative {
	v := r.data.Get()
	return NewRepresentative(v.FullName, v.DOB, last4)
}

// IsZero reports whether no representative data is on file.
func (r Representative) IsZero() bool { return r.data.Get() == representative{} }

// Equal reports whether r and o hold the same name, date of birth and SSN
// digits. go-cmp uses it, so cmp.Diff of two accounts reports a
// difference in the representative without printing either.
func (r Representative) Equal(o Representative) bool { return r.data.Get() == o.data.Get() }

// String returns a redacted form such as
// "Representative(J*** D**, dob ****-**-**, ssn ••••)"; absent values read
// "none".
func (r Representative) String() string {
	v := r.data.Get()
	var b strings.Builder
	b.WriteString("Representative(")
	if v.FullName == "" {
		b.WriteString("no name")
	} else {
		for i, w := range strings.Fields(v.FullName) {
			if i > 0 {
				b.WriteByte(' ')
			}
			for j, c := range w {
				if j == 0 {
					b.WriteRune(c)
				} else {
					b.WriteByte('*')
				}
			}
		}
	}
	b.WriteString(", dob ")
	if v.DOB.IsZero() {
		b.WriteString("none")
	} else {
		b.WriteString("****-**-**")
	}
	b.WriteString(", ssn ")
	if v.SSNLast4 == "" {
		b.WriteString("none")
	} else {
		b.WriteString("••••")
	}
	b.WriteByte(')')
	return b.String()
}

// GoString returns the same redacted form as String, so that %#v does not
// print the date of birth or the SSN digits either.
func (r Representative) GoString() string { return r.String() }

// Format implements fmt.Formatter: every verb prints the redacted String, so
// that no verb (%d, %x, %v on an enclosing struct, …) can reveal the date of
// birth or the SSN digits.
func (r Representative) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(r.String())) }

// LogValue implements slog.LogValuer: every slog handler (JSON and text
// among them) logs the redacted String, never the values.
func (r Representative) LogValue() slog.Value { return slog.StringValue(r.String()) }

// representativeJSON is the stored form, with the field names an
// exported-field Representative had, so that stored bodies still decode.
type representativeJSON struct {
	FullName string
	DOB      Date
	SSNLast4 string
}

// MarshalJSON encodes the redacted String, as a JSON string: a
// Representative held in any struct that encoding/json (or slog's JSON
// handler) writes shows no personal data. The one form that carries the
// values is the account's storage form (MarshalStorage).
func (r Representative) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// UnmarshalJSON decodes the object form MarshalStorage writes,
// {"FullName": …, "DOB": {…}, "SSNLast4": …}; validation is
// Account.Validate's. The redacted string MarshalJSON writes cannot be
// decoded: it is an error matching ErrInvalid.
func (r *Representative) UnmarshalJSON(b []byte) error {
	var v representativeJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("%w: representative: %v", ErrInvalid, err)
	}
	*r = NewRepresentative(v.FullName, v.DOB, v.SSNLast4)
	return nil
}

// Email is an email address, held like a Representative's values inside a
// closure (internal/secret), where no printer working by reflection can
// reach it: fmt on an Account in an unexported field of a caller's struct
// and go-cmp's reporter see only a func. Every fmt verb, slog handler,
// String and MarshalJSON show a redacted form such as "j***@e***". Read
// the address with Address; Equal compares addresses, for go-cmp. The zero
// Email is "no email on file".
type Email struct {
	addr secret.Value[string]
}

// NewEmail returns the email holding addr; the empty addr gives the zero
// Email. It does not validate: Info.Validate and Account.Validate do.
func NewEmail(addr string) Email {
	if addr == "" {
		return Email{}
	}
	return Email{addr: secret.New(addr)}
}

// Address returns the email address; empty when none is on file.
func (e Email) Address() string { return e.addr.Get() }

// IsZero reports whether no email is on file.
func (e Email) IsZero() bool { return e.addr.Get() == "" }

// Equal reports whether e and o hold the same address. go-cmp uses it, so
// cmp.Diff of two accounts reports a changed email without printing it.
func (e Email) Equal(o Email) bool { return e.addr.Get() == o.addr.Get() }

// String returns a redacted form: the first character of the local part
// and of the domain, such as "j***@e***"; empty when no email is on file.
func (e Email) String() string {
	a := e.addr.Get()
	if a == "" {
		return ""
	}
	var b strings.Builder
	local, domain, found := strings.Cut(a, "@")
	first := func(s string) {
		for _, c := range s {
			b.WriteRune(c)
			break
		}
		b.WriteString("***")
	}
	first(local)
	if found {
		b.WriteByte('@')
		first(domain)
	}
	return b.String()
}

// GoString returns the redacted String.
func (e Email) GoString() string { return e.String() }

// Format implements fmt.Formatter: every verb prints the redacted String.
func (e Email) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(e.String())) }

// LogValue implements slog.LogValuer: slog handlers log the redacted
// String.
func (e Email) LogValue() slog.Value { return slog.StringValue(e.String()) }

// MarshalJSON encodes the redacted String as a JSON string. The address is
// written only by the account's storage form (MarshalStorage).
func (e Email) MarshalJSON() ([]byte, error) { return json.Marshal(e.String()) }

// UnmarshalJSON decodes an address written as a JSON string, as a request
// body or the storage form carries it (validation is Info.Validate's and
// Account.Validate's); anything else is an error matching ErrInvalid.
func (e *Email) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%w: email: %v", ErrInvalid, err)
	}
	*e = NewEmail(s)
	return nil
}

// accountFields is Account without its methods, for its JSON forms.
type accountFields Account

// storedAccount is the storage form: every field under its Go name, the
// email and the representative's values in clear.
type storedAccount struct {
	accountFields
	Email          string
	Representative representativeJSON
}

// MarshalJSON encodes a redacted view of a, for logs and debugging output:
// every field under its Go name, with the email and the representative
// redacted as their own MarshalJSON writes them. It carries no personal
// data, so an Account in a slice, a map or a struct field that
// encoding/json or slog's JSON handler writes shows none. It is not the
// storage form, and UnmarshalJSON refuses it: store accounts with
// MarshalStorage.
func (a Account) MarshalJSON() ([]byte, error) { return json.Marshal(accountFields(a)) }

// UnmarshalJSON decodes the storage form, as UnmarshalStorage does: a body
// that is not the storage form of a valid account (Validate) is an error
// matching ErrInvalid and leaves a unchanged.
func (a *Account) UnmarshalJSON(b []byte) error {
	got, err := UnmarshalStorage(b)
	if err != nil {
		return err
	}
	*a = got
	return nil
}

// MarshalStorage returns a's storage form: a JSON object holding every
// field of a under its Go name, the email and the representative's values
// (FullName, DOB, SSNLast4) in clear, for a Store to persist (pgstore keeps
// accounts as this document). It is the only encoding that carries
// personal data; never log it. An account that fails Validate is an error
// matching ErrInvalid, found before anything is formatted.
func MarshalStorage(a Account) ([]byte, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return json.Marshal(storedAccount{accountFields(a), a.Email.Address(), representativeJSON(a.Representative.data.Get())})
}

// UnmarshalStorage decodes the form MarshalStorage writes. A body that is
// not that form, or whose account fails Validate (an ID with NUL, a
// negative or out-of-bounds balance, …), is an error matching ErrInvalid:
// every amount is bounded (MaxAmountDigits, MaxAmountScale) before any
// arithmetic.
func UnmarshalStorage(b []byte) (Account, error) {
	var in storedAccount
	if err := json.Unmarshal(b, &in); err != nil {
		if errors.Is(err, ErrInvalid) {
			return Account{}, err
		}
		return Account{}, fmt.Errorf("%w: account: %w", ErrInvalid, err)
	}
	out := Account(in.accountFields)
	out.Email = NewEmail(in.Email)
	v := in.Representative
	out.Representative = NewRepresentative(v.FullName, v.DOB, v.SSNLast4)
	if err := out.Validate(); err != nil {
		return Account{}, err
	}
	return out, nil
}

// PayoutInterval is how often an account's balance is paid out, with
// Stripe's wire values. The empty value means "Stripe's default schedule".
type PayoutInterval string

// The payout intervals Stripe documents.
const (
	PayoutManual  PayoutInterval = "manual"
	PayoutDaily   PayoutInterval = "daily"
	PayoutWeekly  PayoutInterval = "weekly"
	PayoutMonthly PayoutInterval = "monthly"
)

// PayoutSchedule is a platform-controlled setting that A9 lets the platform
// edit, and A6 loses on removal. The zero value is "Stripe's default
// schedule".
type PayoutSchedule struct {
	// Interval is how often payouts are made; empty is Stripe's default.
	Interval PayoutInterval
	// DelayDays is how many days a charge waits before it is paid out;
	// zero is Stripe's default for the country.
	DelayDays int
	// WeeklyAnchor is the weekday of weekly payouts; only meaningful
	// with PayoutWeekly.
	WeeklyAnchor time.Weekday
	// MonthlyAnchor is the day of the month (1–31) of monthly payouts;
	// only meaningful, and then required, with PayoutMonthly.
	MonthlyAnchor int
}

// Validate reports whether s is a schedule Stripe would accept; the error
// is a *RuleError matching ErrInvalid.
func (s PayoutSchedule) Validate() error {
	switch s.Interval {
	case "", PayoutManual, PayoutDaily, PayoutWeekly, PayoutMonthly:
	default:
		return &RuleError{Rule: "A9", Field: "PayoutSchedule.Interval", Err: ErrInvalid}
	}
	if s.DelayDays < 0 || s.DelayDays > 365 {
		return &RuleError{Rule: "A9", Field: "PayoutSchedule.DelayDays", Err: ErrInvalid}
	}
	if s.WeeklyAnchor < time.Sunday || s.WeeklyAnchor > time.Saturday {
		return &RuleError{Rule: "A9", Field: "PayoutSchedule.WeeklyAnchor", Err: ErrInvalid}
	}
	if s.Interval == PayoutMonthly && (s.MonthlyAnchor < 1 || s.MonthlyAnchor > 31) ||
		s.Interval != PayoutMonthly && s.MonthlyAnchor != 0 {
		return &RuleError{Rule: "A9", Field: "PayoutSchedule.MonthlyAnchor", Err: ErrInvalid}
	}
	return nil
}

// Info is the account information the platform may edit under A9: the
// business name, the contact email and the primary representative.
// EditAccountInformation replaces all three. The zero value clears them.
type Info struct {
	BusinessName   string         // the business's public name
	Email          Email          // the contact email address; never printed
	Representative Representative // the primary representative; never printed
}

// Validate reports whether the information is well-formed: a plausible
// email, and names of at most 1000 bytes of valid UTF-8 without control
// characters (NUL among them). The error joins *RuleErrors matching
// ErrInvalid, and never contains the values.
func (in Info) Validate() error {
	var errs []error
	if e := in.Email.Address(); e != "" && (!validText(e, maxEmailLen) || !validEmail(e)) {
		errs = append(errs, &RuleError{Rule: "A1", Field: "Email", Err: ErrInvalid})
	}
	if !validText(in.BusinessName, maxNameLen) {
		errs = append(errs, &RuleError{Rule: "A1", Field: "BusinessName", Err: ErrInvalid})
	}
	if err := in.Representative.validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// validEmail is a deliberately small, allocation-free check: one '@' with
// something on each side, a dot in the domain, no spaces or angle brackets.
func validEmail(e string) bool {
	at := strings.IndexByte(e, '@')
	if at <= 0 || at != strings.LastIndexByte(e, '@') || strings.ContainsAny(e, " \t\r\n<>,;") {
		return false
	}
	dom := e[at+1:]
	dot := strings.LastIndexByte(dom, '.')
	return dot > 0 && dot < len(dom)-1
}

func (r Representative) validate() error {
	v := r.data.Get()
	if !validText(v.FullName, maxNameLen) {
		return &RuleError{Rule: "L8", Field: "Representative.FullName", Err: ErrInvalid}
	}
	if !v.DOB.IsZero() && !v.DOB.Valid() {
		return &RuleError{Rule: "L8", Field: "Representative.DOB", Err: ErrInvalid}
	}
	if v.SSNLast4 != "" {
		ok := len(v.SSNLast4) == 4
		for i := 0; ok && i < 4; i++ {
			ok = v.SSNLast4[i] >= '0' && v.SSNLast4[i] <= '9'
		}
		if !ok {
			return &RuleError{Rule: "L10", Field: "Representative.SSNLast4", Err: ErrInvalid}
		}
	}
	return nil
}

// Account is a connected account (A1). It is a plain value holding maps:
// copy it with Clone before sharing it between goroutines. Its zero value is
// not a valid account (Validate says why); build one with NewStandard,
// NewExpress, NewCustom or a literal.
type Account struct {
	ID                       ID              // Stripe's account ID, such as "acct_1"
	Country                  string          // ISO 3166-1 alpha-2, upper case
	Dashboard                DashboardAccess // which Stripe Dashboard the account uses (A1)
	Components               Components      // the Connect embedded components it uses (A1)
	RequirementCollection    Party           // who collects requirements
	NegativeBalanceLiability Party           // who is liable for negative balances
	Representative           Representative  // the primary representative; never printed
	// OwnerConfirmed records that the platform verified the account owner
	// is set correctly, as seed 000 asks before a remediation link is
	// generated; false (the zero value) refuses remediation links.
	OwnerConfirmed     bool
	HasExternalAccount bool  // an external payout account is on file
	Email              Email // the account holder's email; never printed
	// BusinessName is the business's public name; empty when not given.
	BusinessName string
	// LastActivity is the last time the account had activity (A4); the
	// zero time means "no activity on record".
	LastActivity                time.Time
	ConnectedToSeveralPlatforms bool // is or was connected to several platforms (A5)
	IsPlatform                  bool // is itself a platform account (A5)
	OptedOutOfCaseSharing       bool // opted out of sharing support cases (A5)
	// PayoutSchedule is the platform-controlled payout schedule (A9);
	// removal resets it (A6).
	PayoutSchedule PayoutSchedule
	// Requirements is what the account owes Stripe (Q1–Q9); the zero Set
	// is "nothing due". Clone deep-copies it.
	Requirements requirements.Set
	// Capabilities are the capabilities requested for the account, such
	// as "card_payments"; Capabilities(now) says which are active.
	Capabilities []requirements.Capability
	// Balance is the account's Stripe balance per currency; funds sent
	// (A7) and pulled (A8) move between it and the platform's balance.
	// A nil Balance is an empty balance.
	Balance Balances
	Removed bool // removed from the platform (A6); permanent
	// RemovedBy is the ID of the user who removed the account
	// (roles.User.ID) and RemovedAt when (Service.RemoveAt): the audit
	// trail of removals. Both are zero while the account is not Removed,
	// when Stripe removed it (a deauthorization event: no platform user
	// acted), and for accounts removed before they were recorded.
	RemovedBy string
	RemovedAt time.Time
	// Marks are the Stripe snapshots the account was last written from,
	// per source object (Service.ApplyAccountSnapshot and the other
	// Apply… methods); the zero Marks for an account never written from
	// an event.
	Marks   Marks
	Version uint64 // optimistic-concurrency version, set by the Store
}

// NewStandard returns a legacy Standard account (A2): full Dashboard
// access, Stripe collects requirements and is liable for negative balances.
func NewStandard(id ID, country string) Account {
	return Account{ID: id, Country: country, Dashboard: DashboardFull,
		RequirementCollection: PartyStripe, NegativeBalanceLiability: PartyStripe}
}

// NewExpress returns a legacy Express account (A2): Express Dashboard
// access, Stripe collects requirements, and the platform is liable for
// negative balances (seed 003: "accounts where your platform is liable for
// negative balances (including Custom and Express accounts)").
func NewExpress(id ID, country string) Account {
	return Account{ID: id, Country: country, Dashboard: DashboardExpress,
		RequirementCollection: PartyStripe, NegativeBalanceLiability: PartyApplication}
}

// NewCustom returns a legacy Custom account (A2): no Dashboard, the
// platform collects requirements and is liable for negative balances.
func NewCustom(id ID, country string) Account {
	return Account{ID: id, Country: country, Dashboard: DashboardNone,
		RequirementCollection: PartyApplication, NegativeBalanceLiability: PartyApplication}
}

// Clone returns a deep copy of a: changing the copy's maps does not change
// a. Stores return clones, so a caller cannot change what a store holds.
func (a Account) Clone() Account {
	a.Balance = a.Balance.Clone()
	a.Requirements = a.Requirements.Clone()
	a.Capabilities = slices.Clone(a.Capabilities)
	a.Marks = a.Marks.Clone()
	return a
}

// CapabilityStatus is one requested capability's state at an instant.
type CapabilityStatus struct {
	// Capability is the capability, such as card_payments.
	Capability requirements.Capability
	// Active is false when past-due requirements disable it (Q2).
	Active bool
	// Fields lists the past-due fields that disable it; nil when active.
	Fields []string
}

// CapabilitiesAt returns the state of each requested capability at now,
// in the order of a.Capabilities: a capability is disabled when Stripe
// says so or a requirement affecting it is past due at now (Q2, see
// requirements.Standing). It does not change a and allocates the result.
func (a Account) CapabilitiesAt(now time.Time) []CapabilityStatus {
	if len(a.Capabilities) == 0 {
		return nil
	}
	disabled := a.Requirements.DisabledCapabilitiesAt(now)
	out := make([]CapabilityStatus, 0, len(a.Capabilities))
	for _, c := range a.Capabilities {
		st := CapabilityStatus{Capability: c, Active: true}
		for _, d := range disabled {
			if d.Capability == c {
				st.Active, st.Fields = false, d.Fields()
				break
			}
		}
		out = append(out, st)
	}
	return out
}

// String returns a short description that names the account, its country,
// its dashboard and its stored Version (the store's optimistic-concurrency
// counter, not a Stripe API version), and never any personal data.
func (a Account) String() string {
	dash := string(a.Dashboard) + " dashboard"
	if a.Dashboard == DashboardNone {
		dash = "no dashboard"
	}
	s := fmt.Sprintf("account %s (%s, %s, stored version %d)", a.ID, a.Country, dash, a.Version)
	if a.Removed {
		s += " removed"
	}
	return s
}

// GoString is String, so that %#v prints no personal data either.
func (a Account) GoString() string { return a.String() }

// Format implements fmt.Formatter: every verb (%d, %x, %+v, …) prints the
// String, which holds no personal data.
func (a Account) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(a.String())) }

// LogValue implements slog.LogValuer: every slog handler logs the
// account's ID, country, dashboard, version and removal, and no personal
// data (email, business name, representative, balances).
func (a Account) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", string(a.ID)), slog.String("country", a.Country),
		slog.String("dashboard", string(a.Dashboard)), slog.Uint64("version", a.Version), slog.Bool("removed", a.Removed))
}

// Validate reports every way in which a is not a well-formed account (A1):
// an ID that is not Valid, a country that is not two upper-case letters, an
// unknown dashboard or party, a malformed email, date of birth, SSN last 4,
// payout schedule, capability name, removal record (RemovedBy, RemovedAt
// on an account not Removed, or malformed), name of more than 1000 bytes or with
// invalid UTF-8 or control characters, or a balance that is in an unknown
// currency, out of bounds, not exact in its currency's minor units or
// negative. The error joins one *RuleError per
// problem, each matching ErrInvalid; it never contains personal data.
func (a Account) Validate() error {
	var errs []error
	if !a.ID.Valid() {
		errs = append(errs, &RuleError{Rule: "A1", Field: "ID", Err: ErrInvalid})
	}
	if !ValidCountry(a.Country) {
		errs = append(errs, &RuleError{Rule: "A1", Field: "Country", Err: ErrInvalid})
	}
	if !a.Dashboard.Valid() {
		errs = append(errs, &RuleError{Rule: "A1", Field: "Dashboard", Err: ErrInvalid})
	}
	if !a.RequirementCollection.Valid() {
		errs = append(errs, &RuleError{Rule: "A1", Field: "RequirementCollection", Err: ErrInvalid})
	}
	if !a.NegativeBalanceLiability.Valid() {
		errs = append(errs, &RuleError{Rule: "A1", Field: "NegativeBalanceLiability", Err: ErrInvalid})
	}
	if err := (Info{BusinessName: a.BusinessName, Email: a.Email, Representative: a.Representative}).Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := a.PayoutSchedule.Validate(); err != nil {
		errs = append(errs, err)
	}
	for i, c := range a.Capabilities {
		if !c.Valid() {
			errs = append(errs, &RuleError{Rule: "A1", Field: fmt.Sprintf("Capabilities[%d]", i), Err: ErrInvalid})
		}
	}
	if err := a.Balance.validate("Balance"); err != nil {
		errs = append(errs, err)
	}
	if err := a.Marks.validate(); err != nil {
		errs = append(errs, err)
	}
	if a.RemovedBy != "" && (!a.Removed || (roles.User{ID: a.RemovedBy}).Validate() != nil) {
		errs = append(errs, &RuleError{Rule: "A6", Field: "RemovedBy", Err: ErrInvalid})
	}
	if y := a.RemovedAt.Year(); !a.RemovedAt.IsZero() && (!a.Removed || y < 1 || y > 9999) {
		errs = append(errs, &RuleError{Rule: "A6", Field: "RemovedAt", Err: ErrInvalid})
	}
	return errors.Join(errs...)
}

// Platform is the platform's own settings, as the operations need them.
// It is a plain value holding a map: copy it with Clone before sharing it.
// The zero value is a test-mode platform with no country, which Validate
// refuses.
type Platform struct {
	Country         string // ISO 3166-1 alpha-2, upper case
	ProfileComplete bool   // the platform profile is completed (A3)
	// BannerPageURL is the platform page that hosts the embedded
	// notification banner (Connect settings, site links); empty when not
	// configured (L9).
	BannerPageURL string
	Live          bool // live mode; false is test mode (L2, K6)
	// Balance is the platform's balance per currency: the source of
	// funds sent (A7) and the destination of funds pulled (A8). A nil
	// Balance is an empty balance.
	Balance Balances
	Version uint64 // optimistic-concurrency version, set by the Store
}

// Clone returns a deep copy of p.
func (p Platform) Clone() Platform {
	p.Balance = p.Balance.Clone()
	return p
}

// Validate reports every way in which p is malformed: a country that is
// not two upper-case letters, a banner page URL that is not an absolute
// http(s) URL of at most 2048 bytes, a balance that is in an unknown
// currency, out of bounds, inexact or negative. Each problem is a
// *RuleError matching ErrInvalid.
func (p Platform) Validate() error {
	var errs []error
	if !ValidCountry(p.Country) {
		errs = append(errs, &RuleError{Rule: "A1", Field: "Platform.Country", Err: ErrInvalid})
	}
	if p.BannerPageURL != "" {
		u, err := url.Parse(p.BannerPageURL)
		if !validText(p.BannerPageURL, maxURLLen) || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, &RuleError{Rule: "L9", Field: "Platform.BannerPageURL", Err: ErrInvalid})
		}
	}
	if err := p.Balance.validate("Platform.Balance"); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// platformFields is Platform without its methods, for its JSON form.
type platformFields Platform

// UnmarshalJSON decodes a Platform as encoding/json writes it (it holds no
// personal data, so its JSON form is its storage form) and refuses, with an
// error matching ErrInvalid, one that Validate refuses: a negative,
// inexact or out-of-bounds balance (bounded before any arithmetic), a
// malformed country or banner URL. p is unchanged on error.
func (p *Platform) UnmarshalJSON(b []byte) error {
	var in platformFields
	if err := json.Unmarshal(b, &in); err != nil {
		if errors.Is(err, ErrInvalid) {
			return err
		}
		return fmt.Errorf("%w: platform: %v", ErrInvalid, err)
	}
	if err := Platform(in).Validate(); err != nil {
		return err
	}
	*p = Platform(in)
	return nil
}

// ValidCountry reports whether c has the shape of an ISO 3166-1 alpha-2
// code: exactly two upper-case ASCII letters.
func ValidCountry(c string) bool {
	return len(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z'
}
