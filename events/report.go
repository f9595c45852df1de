package events

import (
	"cmp"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/snapshot"
)

// Outcome is what applying an event did. It is the snapshot.Verdict of the
// event's Mark against the stored Mark, in the words of a report — this is
// the one place the two vocabularies meet:
//
//	snapshot.Newer     → OutcomeApplied   ("applied": newer, so written)
//	snapshot.Duplicate → OutcomeDuplicate ("duplicate")
//	snapshot.Stale     → OutcomeStale     ("stale")
//	(no verdict)       → OutcomeUnhandled ("unhandled": type not applied)
//
// snapshot says "newer" because it only orders marks; a report says
// "applied" because the Handler wrote the newer snapshot.
type Outcome uint8

// The outcomes.
const (
	// OutcomeApplied: the event was newer than what was stored for its
	// object and was written.
	OutcomeApplied Outcome = iota + 1
	// OutcomeStale: a newer snapshot of the object was applied already;
	// the event was skipped.
	OutcomeStale
	// OutcomeDuplicate: this very event was applied already; a no-op.
	OutcomeDuplicate
	// OutcomeUnhandled: connectkit does not apply events of this type (or
	// this object, such as a person who is not the representative);
	// acknowledge it.
	OutcomeUnhandled
)

var outcomeNames = [...]string{OutcomeApplied: "applied", OutcomeStale: "stale", OutcomeDuplicate: "duplicate", OutcomeUnhandled: "unhandled"}

// String returns "applied", "stale", "duplicate" or "unhandled".
func (o Outcome) String() string {
	if o >= 1 && int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", uint8(o))
}

// MarshalText returns String; it fails for an invalid Outcome.
func (o Outcome) MarshalText() ([]byte, error) {
	if o < 1 || int(o) >= len(outcomeNames) {
		return nil, fmt.Errorf("%w: outcome %d", ErrInvalid, uint8(o))
	}
	return []byte(o.String()), nil
}

// UnmarshalText parses String's form.
func (o *Outcome) UnmarshalText(b []byte) error {
	for i, n := range outcomeNames {
		if i > 0 && n == string(b) {
			*o = Outcome(i)
			return nil
		}
	}
	return fmt.Errorf("%w: outcome %q", ErrInvalid, clip(string(b)))
}

// outcomeOf maps a verdict to its outcome (see Outcome).
func outcomeOf(v snapshot.Verdict) Outcome {
	switch v {
	case snapshot.Newer:
		return OutcomeApplied
	case snapshot.Duplicate:
		return OutcomeDuplicate
	}
	return OutcomeStale
}

// Report is what applying one event did, as a value the platform acts on and
// logs (JSON). Changes are computed against the instant At, so a deadline
// that passed while the event was in flight shows as past due.
type Report struct {
	// EventID and Type are the event's.
	EventID string `json:"event_id"`
	Type    Type   `json:"type"`
	// Created is the event's creation instant.
	Created time.Time `json:"created"`
	// At is the instant the changes are computed at.
	At time.Time `json:"at"`
	// Outcome is applied, stale, duplicate or unhandled.
	Outcome Outcome `json:"outcome"`
	// Note says why an event is unhandled.
	Note string `json:"note,omitempty"`
	// Object is the Stripe object the event is about.
	Object Object `json:"object"`
	// Account is the connected account written, "" when none.
	Account account.ID `json:"account,omitempty"`
	// Changes is what changed (empty unless Outcome is applied).
	Changes Changes `json:"changes"`
}

// Changes is the difference between two states of an account (and of a
// Financial Connections account or relink request), as views at one
// instant. Each list is sorted; an empty list is omitted from JSON.
type Changes struct {
	// Fields are the requirements whose status at the instant changed.
	Fields []FieldChange `json:"fields,omitempty"`
	// Capabilities are the capabilities whose standing changed.
	Capabilities []CapabilityChange `json:"capabilities,omitempty"`
	// Deadlines are the hashes whose deadline moved (Q4).
	Deadlines []DeadlineChange `json:"deadlines,omitempty"`
	// Account is the account's own standing, when it changed.
	Account *StandingChange `json:"account,omitempty"`
	// DisabledReason is Stripe's account disabled_reason, verbatim, when
	// it changed.
	DisabledReason *ReasonChange `json:"disabled_reason,omitempty"`
	// Removed: the account was removed for this platform (A6).
	Removed bool `json:"removed,omitempty"`
	// L8 is what L8 checks before a remediation link can exist — the
	// representative's full name and date of birth, and an external payout
	// account — when any of it changed (facts, never the values).
	L8 *L8Change `json:"l8,omitempty"`
	// Details are the account details an account.updated writes (country,
	// email, business name) that changed, with Stripe's values.
	Details []DetailChange `json:"details,omitempty"`
	// Requested are the capabilities newly requested for the account or
	// no longer requested (Account.Capabilities, from the account's
	// capabilities map).
	Requested []RequestedChange `json:"requested,omitempty"`
	// FCAccount is a Financial Connections account's relink eligibility.
	FCAccount *FCAccountChange `json:"fc_account,omitempty"`
	// RelinkRequest is a relink request completed or failed.
	RelinkRequest *RelinkRequestChange `json:"relink_request,omitempty"`
}

// Empty reports whether nothing changed.
func (c Changes) Empty() bool {
	return len(c.Fields) == 0 && len(c.Capabilities) == 0 && len(c.Deadlines) == 0 && c.Account == nil &&
		c.DisabledReason == nil && !c.Removed && c.L8 == nil && len(c.Details) == 0 && len(c.Requested) == 0 &&
		c.FCAccount == nil && c.RelinkRequest == nil
}

// FieldChange is one requirement's status at the instant, before and after:
// the most pressing over the current hashes listing it (or over the future
// hashes, for Future), Entry.StatusAt; "" means not listed.
type FieldChange struct {
	Field  string              `json:"field"`
	Future bool                `json:"future,omitempty"`
	Before requirements.Status `json:"before,omitempty"`
	After  requirements.Status `json:"after,omitempty"`
}

// Standing is the part of a requirements.Standing a report compares: Stripe's
// status, whether it is disabled at the instant, and the reason.
type Standing struct {
	Status   requirements.CapabilityStatus `json:"status,omitempty"`
	Disabled bool                          `json:"disabled"`
	Reason   requirements.DisabledReason   `json:"reason,omitempty"`
}

func standingOf(st requirements.Standing) Standing {
	return Standing{Status: st.Status, Disabled: st.Disabled(), Reason: st.Reason()}
}

// StandingChange is a standing before and after.
type StandingChange struct {
	Before Standing `json:"before"`
	After  Standing `json:"after"`
}

// CapabilityChange is a capability's standing before and after (the zero
// Standing for a capability not known).
type CapabilityChange struct {
	Capability requirements.Capability `json:"capability"`
	Before     Standing                `json:"before"`
	After      Standing                `json:"after"`
}

// NewlyDisabled reports whether the capability became disabled.
func (c CapabilityChange) NewlyDisabled() bool { return !c.Before.Disabled && c.After.Disabled }

// ReEnabled reports whether the capability stopped being disabled.
func (c CapabilityChange) ReEnabled() bool { return c.Before.Disabled && !c.After.Disabled }

// DeadlineChange is a hash's deadline before and after; the zero Time is
// none.
type DeadlineChange struct {
	Hash   string    `json:"hash"`
	Before time.Time `json:"before"`
	After  time.Time `json:"after"`
}

// ReasonChange is Stripe's disabled_reason before and after.
type ReasonChange struct {
	Before requirements.DisabledReason `json:"before"`
	After  requirements.DisabledReason `json:"after"`
}

// L8Facts is what L8 checks before a remediation link can exist: a primary
// representative with a full name and a date of birth on file, and an
// external payout account. No value is ever reported.
type L8Facts struct {
	RepresentativeName bool `json:"representative_name"`
	RepresentativeDOB  bool `json:"representative_dob"`
	ExternalAccount    bool `json:"external_account"`
}

// L8Change is the L8 facts before and after.
type L8Change struct {
	Before L8Facts `json:"before"`
	After  L8Facts `json:"after"`
}

// The account details a DetailChange names.
const (
	DetailBusinessName = "business_name"
	DetailCountry      = "country"
	DetailEmail        = "email"
)

// DetailChange is one account detail before and after, as Stripe gave it
// ("" for none): Detail is DetailBusinessName, DetailCountry or
// DetailEmail. The Go value holds the email for the platform's code; its
// JSON, its log value and its printed forms redact it as account.Email
// does, so a report can be logged.
type DetailChange struct {
	Detail string `json:"detail"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// redacted returns d with an email's values redacted.
func (d DetailChange) redacted() DetailChange {
	if d.Detail == DetailEmail {
		d.Before, d.After = account.NewEmail(d.Before).String(), account.NewEmail(d.After).String()
	}
	return d
}

// MarshalJSON encodes d with an email's values redacted.
func (d DetailChange) MarshalJSON() ([]byte, error) {
	type plain DetailChange
	return json.Marshal(plain(d.redacted()))
}

// String describes the change, with an email's values redacted.
func (d DetailChange) String() string {
	r := d.redacted()
	return fmt.Sprintf("%s: %q -> %q", r.Detail, r.Before, r.After)
}

// Format prints String for every verb, so that %+v and %#v redact too.
func (d DetailChange) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(d.String())) }

// LogValue logs String.
func (d DetailChange) LogValue() slog.Value { return slog.StringValue(d.String()) }

// RequestedChange is whether a capability is requested for the account
// (listed in Account.Capabilities) before and after.
type RequestedChange struct {
	Capability requirements.Capability `json:"capability"`
	Before     bool                    `json:"before"`
	After      bool                    `json:"after"`
}

// FCAccountChange is a Financial Connections account's relink eligibility
// (K2, K4) before and after the event, and by when to act.
type FCAccountChange struct {
	Account        string    `json:"account"`
	EligibleBefore bool      `json:"eligible_before"`
	EligibleAfter  bool      `json:"eligible_after"`
	Deadline       time.Time `json:"deadline,omitzero"`
}

// NewlyEligible reports whether the account became eligible for relink.
func (c FCAccountChange) NewlyEligible() bool { return !c.EligibleBefore && c.EligibleAfter }

// RelinkRequestChange is a relink request closed by a session result.
type RelinkRequestChange struct {
	Request string `json:"request,omitempty"`
	// Result is "completed", "failed" or "no_matching_request".
	Result string `json:"result"`
}

// NewlyCurrentlyDue returns the current fields that became currently due.
func (c Changes) NewlyCurrentlyDue() []string {
	return c.fieldsWhere(func(f FieldChange) bool {
		return f.After == requirements.CurrentlyDue && f.Before != requirements.CurrentlyDue
	})
}

// NewlyPastDue returns the current fields that became past due — by
// Stripe's word or because their deadline passed before the instant (Q2).
func (c Changes) NewlyPastDue() []string {
	return c.fieldsWhere(func(f FieldChange) bool {
		return f.After == requirements.PastDue && f.Before != requirements.PastDue
	})
}

// Cleared returns the current fields that were due and no longer are.
func (c Changes) Cleared() []string {
	return c.fieldsWhere(func(f FieldChange) bool { return f.Before.Due() && !f.After.Due() })
}

func (c Changes) fieldsWhere(ok func(FieldChange) bool) []string {
	var out []string
	for _, f := range c.Fields {
		if !f.Future && ok(f) {
			out = append(out, f.Field)
		}
	}
	return out
}

// Diff returns the changes from before to after as views at now. It reads
// every part of an account that an event writes: the requirements (fields,
// capabilities' standings, deadlines, the account's standing and Stripe's
// disabled_reason), the removal (A6), the L8 facts, the details
// (country, email, business name) and the requested capabilities. The
// platform's own settings and the Marks are not compared.
func Diff(before, after account.Account, now time.Time) Changes {
	var c Changes
	c.Fields = diffFields(fieldStatuses(before.Requirements, now), fieldStatuses(after.Requirements, now))
	c.Capabilities = diffCapabilities(before.Requirements.CapabilitiesAt(now), after.Requirements.CapabilitiesAt(now))
	c.Deadlines = diffDeadlines(before.Requirements, after.Requirements)
	if b, a := standingOf(before.Requirements.DisabledAt(now)), standingOf(after.Requirements.DisabledAt(now)); b != a {
		c.Account = &StandingChange{Before: b, After: a}
	}
	if b, a := before.Requirements.DisabledReason(), after.Requirements.DisabledReason(); b != a {
		c.DisabledReason = &ReasonChange{Before: b, After: a}
	}
	c.Removed = !before.Removed && after.Removed
	if b, a := factsOf(before), factsOf(after); b != a {
		c.L8 = &L8Change{Before: b, After: a}
	}
	for _, d := range []DetailChange{
		{Detail: DetailBusinessName, Before: before.BusinessName, After: after.BusinessName},
		{Detail: DetailCountry, Before: before.Country, After: after.Country},
		{Detail: DetailEmail, Before: before.Email.Address(), After: after.Email.Address()},
	} {
		if d.Before != d.After {
			c.Details = append(c.Details, d)
		}
	}
	c.Requested = diffRequested(before.Capabilities, after.Capabilities)
	return c
}

func factsOf(a account.Account) L8Facts {
	r := a.Representative
	return L8Facts{RepresentativeName: r.FullName() != "", RepresentativeDOB: r.DOB().Valid(), ExternalAccount: a.HasExternalAccount}
}

func diffRequested(before, after []requirements.Capability) []RequestedChange {
	var out []RequestedChange
	for _, c := range before {
		if !slices.Contains(after, c) {
			out = append(out, RequestedChange{Capability: c, Before: true})
		}
	}
	for _, c := range after {
		if !slices.Contains(before, c) {
			out = append(out, RequestedChange{Capability: c, After: true})
		}
	}
	slices.SortFunc(out, func(x, y RequestedChange) int { return cmp.Compare(x.Capability, y.Capability) })
	return slices.CompactFunc(out, func(x, y RequestedChange) bool { return x == y })
}

type fieldKey struct {
	field  string
	future bool
}

func compareFieldKeys(a, b fieldKey) int {
	if a.future != b.future {
		if a.future {
			return 1
		}
		return -1
	}
	return cmp.Compare(a.field, b.field)
}

// pressing ranks statuses: past due, currently due, pending verification,
// eventually due.
func pressing(st requirements.Status) int {
	switch st {
	case requirements.PastDue:
		return 4
	case requirements.CurrentlyDue:
		return 3
	case requirements.PendingVerification:
		return 2
	case requirements.EventuallyDue:
		return 1
	}
	return 0
}

func fieldStatuses(s requirements.Set, now time.Time) map[fieldKey]requirements.Status {
	out := make(map[fieldKey]requirements.Status, s.Len())
	for _, e := range s.Entries() {
		k := fieldKey{e.Field, e.Future}
		if st := e.StatusAt(now); pressing(st) > pressing(out[k]) {
			out[k] = st
		}
	}
	return out
}

func diffFields(before, after map[fieldKey]requirements.Status) []FieldChange {
	var out []FieldChange
	for k, b := range before {
		if a := after[k]; a != b {
			out = append(out, FieldChange{Field: k.field, Future: k.future, Before: b, After: a})
		}
	}
	for k, a := range after {
		if _, ok := before[k]; !ok {
			out = append(out, FieldChange{Field: k.field, Future: k.future, After: a})
		}
	}
	slices.SortFunc(out, func(x, y FieldChange) int {
		return compareFieldKeys(fieldKey{x.Field, x.Future}, fieldKey{y.Field, y.Future})
	})
	return out
}

func diffCapabilities(before, after []requirements.Standing) []CapabilityChange {
	m := map[requirements.Capability]*CapabilityChange{}
	for _, st := range before {
		m[st.Capability] = &CapabilityChange{Capability: st.Capability, Before: standingOf(st)}
	}
	for _, st := range after {
		c := m[st.Capability]
		if c == nil {
			c = &CapabilityChange{Capability: st.Capability}
			m[st.Capability] = c
		}
		c.After = standingOf(st)
	}
	var out []CapabilityChange
	for _, c := range m {
		if c.Before != c.After {
			out = append(out, *c)
		}
	}
	slices.SortFunc(out, func(x, y CapabilityChange) int { return cmp.Compare(x.Capability, y.Capability) })
	return out
}

func diffDeadlines(before, after requirements.Set) []DeadlineChange {
	m := map[string]*DeadlineChange{}
	for _, src := range before.Sources() {
		h, _ := before.Hash(src)
		if !h.Deadline.IsZero() {
			m[src.String()] = &DeadlineChange{Hash: src.String(), Before: h.Deadline}
		}
	}
	for _, src := range after.Sources() {
		h, _ := after.Hash(src)
		if h.Deadline.IsZero() {
			continue
		}
		d := m[src.String()]
		if d == nil {
			d = &DeadlineChange{Hash: src.String()}
			m[src.String()] = d
		}
		d.After = h.Deadline
	}
	var out []DeadlineChange
	for _, d := range m {
		if !d.Before.Equal(d.After) {
			out = append(out, *d)
		}
	}
	slices.SortFunc(out, func(x, y DeadlineChange) int { return cmp.Compare(x.Hash, y.Hash) })
	return out
}

// Then returns the net change of c followed by d: for each field,
// capability, hash and fact, the state before c and the state after d,
// dropped when they are equal. Folding Then over the reports of an in-order
// run for one account gives Diff(first, final, now) for reports computed
// at the same now.
//
// A Changes holds at most one Financial Connections account and one relink
// request, so Then refuses, with an error matching ErrInvalid, to compose
// changes of two different FC accounts or two different relink requests:
// compose each object's reports apart. Changes carries no connected-account
// ID; composing reports of different connected accounts is the caller's
// error to avoid (Report.Account says whose each is).
func (c Changes) Then(d Changes) (Changes, error) {
	if c.FCAccount != nil && d.FCAccount != nil && c.FCAccount.Account != d.FCAccount.Account {
		return Changes{}, fmt.Errorf("%w: changes of FC accounts %q and %q do not compose", ErrInvalid,
			clip(c.FCAccount.Account), clip(d.FCAccount.Account))
	}
	if c.RelinkRequest != nil && d.RelinkRequest != nil && c.RelinkRequest.Request != d.RelinkRequest.Request {
		return Changes{}, fmt.Errorf("%w: changes of relink requests %q and %q do not compose", ErrInvalid,
			clip(c.RelinkRequest.Request), clip(d.RelinkRequest.Request))
	}
	var out Changes
	out.Fields = thenList(c.Fields, d.Fields,
		func(f FieldChange) fieldKey { return fieldKey{f.Field, f.Future} }, compareFieldKeys,
		func(first, last FieldChange) (FieldChange, bool) {
			first.After = last.After
			return first, first.Before != first.After
		})
	out.Capabilities = thenList(c.Capabilities, d.Capabilities,
		func(x CapabilityChange) requirements.Capability { return x.Capability }, cmp.Compare[requirements.Capability],
		func(first, last CapabilityChange) (CapabilityChange, bool) {
			first.After = last.After
			return first, first.Before != first.After
		})
	out.Deadlines = thenList(c.Deadlines, d.Deadlines,
		func(x DeadlineChange) string { return x.Hash }, cmp.Compare[string],
		func(first, last DeadlineChange) (DeadlineChange, bool) {
			first.After = last.After
			return first, !first.Before.Equal(first.After)
		})
	out.Account = thenPtr(c.Account, d.Account, func(first, last StandingChange) (StandingChange, bool) {
		first.After = last.After
		return first, first.Before != first.After
	})
	out.DisabledReason = thenPtr(c.DisabledReason, d.DisabledReason, func(first, last ReasonChange) (ReasonChange, bool) {
		first.After = last.After
		return first, first.Before != first.After
	})
	out.Removed = c.Removed || d.Removed
	out.L8 = thenPtr(c.L8, d.L8, func(first, last L8Change) (L8Change, bool) {
		first.After = last.After
		return first, first.Before != first.After
	})
	out.Details = thenList(c.Details, d.Details,
		func(x DetailChange) string { return x.Detail }, cmp.Compare[string],
		func(first, last DetailChange) (DetailChange, bool) {
			first.After = last.After
			return first, first.Before != first.After
		})
	out.Requested = thenList(c.Requested, d.Requested,
		func(x RequestedChange) requirements.Capability { return x.Capability }, cmp.Compare[requirements.Capability],
		func(first, last RequestedChange) (RequestedChange, bool) {
			first.After = last.After
			return first, first.Before != first.After
		})
	out.FCAccount = thenPtr(c.FCAccount, d.FCAccount, func(first, last FCAccountChange) (FCAccountChange, bool) {
		first.EligibleAfter, first.Deadline = last.EligibleAfter, last.Deadline
		return first, true
	})
	out.RelinkRequest = c.RelinkRequest
	if d.RelinkRequest != nil {
		out.RelinkRequest = d.RelinkRequest
	}
	return out, nil
}

func thenPtr[T any](c, d *T, join func(first, last T) (T, bool)) *T {
	switch {
	case c == nil:
		return d
	case d == nil:
		return c
	}
	if v, ok := join(*c, *d); ok {
		return &v
	}
	return nil
}

func thenList[T any, K any](c, d []T, key func(T) K, compare func(K, K) int, join func(first, last T) (T, bool)) []T {
	var out []T
	i, j := 0, 0
	for i < len(c) || j < len(d) {
		switch {
		case j == len(d) || i < len(c) && compare(key(c[i]), key(d[j])) < 0:
			out = append(out, c[i])
			i++
		case i == len(c) || compare(key(c[i]), key(d[j])) > 0:
			out = append(out, d[j])
			j++
		default:
			if v, ok := join(c[i], d[j]); ok {
				out = append(out, v)
			}
			i, j = i+1, j+1
		}
	}
	return out
}
