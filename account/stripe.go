package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/snapshot"
)

// Applying Stripe's snapshots (issue 14).
//
// Stripe's events carry whole objects as they were when the event was
// created; they arrive late, twice and out of order. An Account remembers,
// in Marks, the snapshot.Mark of the newest snapshot it applied from each
// source object — the account, each capability, each person, the
// deauthorization — and the Service applies a snapshot only when its Mark is
// newer than the one stored for that object (snapshot.Judge), with one
// conditional write. Each source writes only its own part of the account,
// so every delivery order of a set of events leaves the same account as
// applying them in created order.

// MaxObjectMarks bounds the capabilities and the persons an account keeps a
// Mark for (each list apart).
const MaxObjectMarks = 1024

// maxApplyAttempts bounds the read–judge–write rounds of one snapshot: each
// round lost to a concurrent writer re-reads and judges again.
const maxApplyAttempts = 16

// ObjectMark is the Mark of the newest snapshot applied from one Stripe
// object of an account that has an ID of its own: a capability (ID
// "card_payments") or a person (ID "person_…").
type ObjectMark struct {
	// ID is the object's ID.
	ID string
	// Mark is the newest snapshot applied from it.
	Mark snapshot.Mark
	// Deleted records a person.deleted: older snapshots of the person
	// stay stale.
	Deleted bool `json:",omitempty"`
}

// Marks are the snapshots an account was last written from, per Stripe
// object. The zero Marks is an account never written from an event.
type Marks struct {
	// Account is the newest v1 account snapshot applied (account.updated).
	Account snapshot.Mark
	// V2 is the newest Accounts v2 account applied (a v2 thin event's
	// fetched object).
	V2 snapshot.Mark
	// Deauthorization is the newest account.application.deauthorized
	// applied.
	Deauthorization snapshot.Mark
	// Capabilities are the newest capability.updated applied per
	// capability, sorted by ID.
	Capabilities []ObjectMark `json:",omitempty"`
	// Persons are the newest person.* applied per person, sorted by ID.
	// Only the representative's data is kept (L8); the others' marks keep
	// the order of their events.
	Persons []ObjectMark `json:",omitempty"`
	// RepresentativeID is the person the Representative came from, ""
	// when it did not come from a person event.
	RepresentativeID string `json:",omitempty"`
}

// Clone returns a copy of m sharing no slices with it.
func (m Marks) Clone() Marks {
	m.Capabilities = slices.Clone(m.Capabilities)
	m.Persons = slices.Clone(m.Persons)
	return m
}

func findMark(ms []ObjectMark, id string) (int, bool) {
	return slices.BinarySearchFunc(ms, id, func(m ObjectMark, id string) int { return strings.Compare(m.ID, id) })
}

// Capability returns the Mark of the newest capability.updated applied for c.
func (m Marks) Capability(c requirements.Capability) snapshot.Mark {
	if i, ok := findMark(m.Capabilities, string(c)); ok {
		return m.Capabilities[i].Mark
	}
	return snapshot.Mark{}
}

// Person returns the Mark of the newest person event applied for the person
// id.
func (m Marks) Person(id string) snapshot.Mark {
	if i, ok := findMark(m.Persons, id); ok {
		return m.Persons[i].Mark
	}
	return snapshot.Mark{}
}

func setMark(ms []ObjectMark, om ObjectMark) ([]ObjectMark, error) {
	i, ok := findMark(ms, om.ID)
	if ok {
		ms[i] = om
		return ms, nil
	}
	if len(ms) >= MaxObjectMarks {
		return ms, &RuleError{Rule: "Q1", Field: "Marks", Err: ErrInvalid}
	}
	return slices.Insert(ms, i, om), nil
}

func (m Marks) validate() error {
	var errs []error
	for _, mk := range []snapshot.Mark{m.Account, m.V2, m.Deauthorization} {
		if !mk.IsZero() {
			if err := mk.Validate(); err != nil {
				errs = append(errs, &RuleError{Rule: "Q1", Field: "Marks", Err: ErrInvalid})
			}
		}
	}
	for _, list := range [][]ObjectMark{m.Capabilities, m.Persons} {
		if len(list) > MaxObjectMarks {
			errs = append(errs, &RuleError{Rule: "Q1", Field: "Marks", Err: ErrInvalid})
			continue
		}
		for i, om := range list {
			if !ID(om.ID).Valid() || om.Mark.Validate() != nil || i > 0 && list[i-1].ID >= om.ID {
				errs = append(errs, &RuleError{Rule: "Q1", Field: "Marks", Err: ErrInvalid})
				break
			}
		}
	}
	if m.RepresentativeID != "" && !ID(m.RepresentativeID).Valid() {
		errs = append(errs, &RuleError{Rule: "L8", Field: "Marks.RepresentativeID", Err: ErrInvalid})
	}
	return errors.Join(errs...)
}

// AccountSnapshot is what an account.updated says about the parts of an
// account connectkit models. Applying it replaces them.
type AccountSnapshot struct {
	// Requirements holds the account's requirements and
	// future_requirements hashes and its capabilities map, as
	// requirements.DecodeV1 reads them from the account object. They
	// replace the account's own hashes; capabilities' hashes are kept.
	Requirements requirements.Set
	// Country is the account's country; "" keeps the stored one.
	Country string
	// Email is the account's email ("" for null).
	Email string
	// BusinessName is business_profile.name ("" for null).
	BusinessName string
	// Capabilities are the capabilities in the account's capabilities
	// map, sorted; they replace Account.Capabilities when
	// CapabilitiesListed.
	Capabilities       []requirements.Capability
	CapabilitiesListed bool
	// HasExternalAccount says whether external_accounts lists one; it
	// replaces Account.HasExternalAccount when ExternalAccountsListed.
	HasExternalAccount     bool
	ExternalAccountsListed bool
}

// PersonSnapshot is what a person.created, person.updated or
// person.deleted says about one person of the account, reduced to what L8
// checks: whether the person is the representative, and then the full
// name and the date of birth. Nothing else about a person is kept.
type PersonSnapshot struct {
	// ID is the person's ID ("person_…").
	ID string
	// Deleted is a person.deleted.
	Deleted bool
	// Representative is relationship.representative.
	Representative bool
	// FullName is first_name and last_name, joined by a space.
	FullName string
	// DOB is the date of birth; the zero Date when not provided.
	DOB Date
}

// Applied is the outcome of applying one snapshot.
type Applied struct {
	// Verdict is snapshot.Newer when the snapshot was written, Duplicate
	// or Stale when it was skipped.
	Verdict snapshot.Verdict
	// Before is the account as read before the write that applied the
	// snapshot (or as read when it was skipped).
	Before Account
	// After is the account as stored afterwards; Before when skipped.
	After Account
}

// anchor returns an empty set belonging to the account id, so that merging
// hashes into it gives the same set in every order.
func anchor(id ID) (requirements.Set, error) {
	b, err := json.Marshal(map[string]any{"object": "account", "id": string(id), "requirements": map[string]any{}})
	if err != nil {
		return requirements.Set{}, err
	}
	return requirements.DecodeV1(b, nil)
}

// merged returns a's requirements with the hashes of snap replacing those
// it holds for the same sources and the hashes named by clear emptied.
func merged(a Account, snap requirements.Set, clear []requirements.Source) (requirements.Set, error) {
	snap = snap.Clone()
	for _, src := range clear {
		if _, ok := snap.Hash(src); !ok {
			if err := snap.SetHashDeadline(src, time.Time{}); err != nil {
				return requirements.Set{}, err
			}
		}
	}
	out, err := anchor(a.ID)
	if err != nil {
		return requirements.Set{}, &RuleError{Rule: "A1", Field: "ID", Err: ErrInvalid}
	}
	if err := out.Merge(a.Requirements); err != nil {
		return requirements.Set{}, err
	}
	if err := out.Merge(snap); err != nil {
		return requirements.Set{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return out, nil
}

// WithAccountSnapshot returns a with snap applied: the account's own
// requirements hashes (both, an absent one emptied) and capabilities map,
// its country, email, business name, requested capabilities and external
// account. Capabilities' hashes, the representative and everything the
// platform controls are kept. It does not judge marks; see
// Service.ApplyAccountSnapshot.
func (a Account) WithAccountSnapshot(snap AccountSnapshot) (Account, error) {
	reqs, err := merged(a, snap.Requirements, []requirements.Source{{}, {Future: true}})
	if err != nil {
		return Account{}, err
	}
	a = a.Clone()
	a.Requirements = reqs
	if snap.Country != "" {
		a.Country = snap.Country
	}
	a.Email, a.BusinessName = NewEmail(snap.Email), snap.BusinessName
	if snap.CapabilitiesListed {
		a.Capabilities = slices.Clone(snap.Capabilities)
	}
	if snap.ExternalAccountsListed {
		a.HasExternalAccount = snap.HasExternalAccount
	}
	return a, nil
}

// WithCapabilitySnapshot returns a with the hashes of capability c
// replaced by those of reqs (requirements.DecodeV1 of the capability
// object; an absent hash is emptied), every other hash untouched.
func (a Account) WithCapabilitySnapshot(c requirements.Capability, reqs requirements.Set) (Account, error) {
	if !c.Valid() {
		return Account{}, &RuleError{Rule: "Q1", Field: "Capability", Err: ErrInvalid}
	}
	for _, src := range reqs.Sources() {
		if src.Capability != c || src.V2 {
			return Account{}, &RuleError{Rule: "Q1", Field: "Capability", Err: ErrInvalid}
		}
	}
	out, err := merged(a, reqs, []requirements.Source{{Capability: c}, {Capability: c, Future: true}})
	if err != nil {
		return Account{}, err
	}
	a = a.Clone()
	a.Requirements = out
	return a, nil
}

// WithV2Snapshot returns a with its Accounts v2 hashes replaced by those of
// reqs (requirements.DecodeV2 of the fetched v2 account): a v2 hash a holds
// and reqs does not is emptied.
func (a Account) WithV2Snapshot(reqs requirements.Set) (Account, error) {
	var clear []requirements.Source
	for _, src := range a.Requirements.Sources() {
		if src.V2 {
			clear = append(clear, src)
		}
	}
	for _, src := range reqs.Sources() {
		if !src.V2 {
			return Account{}, &RuleError{Rule: "Q1", Field: "Requirements", Err: ErrInvalid}
		}
	}
	out, err := merged(a, reqs, clear)
	if err != nil {
		return Account{}, err
	}
	a = a.Clone()
	a.Requirements = out
	return a, nil
}

// WithPersonSnapshot returns a with p applied to its representative (L8):
// a person who is the representative becomes it, with the name and date of
// birth of the person object and no SSN digits (Stripe never sends them,
// and keeping digits entered for an earlier state would make the result
// depend on the delivery order: enter them again with
// EditAccountInformation); the representative who is deleted or no longer
// the representative is cleared; another person changes nothing.
//
// Every delivery order converges (Service.ApplyPersonSnapshot applies only
// each person's newest snapshot) except in one corner: a representative
// entered by hand (Marks.RepresentativeID "") is replaced by the first
// person event naming a representative, but "person P is not (or no longer)
// the representative" cannot clear it; so when that event is delivered
// before P's older "P is the representative" (then stale), the
// hand-entered representative stays, where created order would clear it.
func (a Account) WithPersonSnapshot(p PersonSnapshot) (Account, error) {
	if !ID(p.ID).Valid() {
		return Account{}, &RuleError{Rule: "L8", Field: "Person.ID", Err: ErrInvalid}
	}
	a = a.Clone()
	switch {
	case p.Representative && !p.Deleted:
		a.Representative = NewRepresentative(p.FullName, p.DOB, "")
		a.Marks.RepresentativeID = p.ID
	case a.Marks.RepresentativeID == p.ID:
		a.Representative = Representative{}
		a.Marks.RepresentativeID = ""
	}
	if err := a.Representative.validate(); err != nil {
		return Account{}, err
	}
	return a, nil
}

// withDeauthorization returns a removed from the platform (A6), as Remove
// does.
func (a Account) withDeauthorization() Account {
	a = a.Clone()
	a.Removed = true
	a.PayoutSchedule = PayoutSchedule{}
	a.Components = Components{}
	return a
}

// ApplyAccountSnapshot applies an account.updated marked mark to the account
// under id (WithAccountSnapshot), unless a snapshot of the account as new
// or newer was applied already (snapshot.Judge against Marks.Account). No
// roles are weighed: the caller is Stripe's verified webhook. A removed
// account (A6) still records Stripe's snapshots, so every delivery order
// converges; the platform's operations on it stay refused.
func (s *Service) ApplyAccountSnapshot(ctx context.Context, id ID, snap AccountSnapshot, mark snapshot.Mark) (Applied, error) {
	return s.applySnapshot(ctx, id, mark,
		func(m Marks) snapshot.Mark { return m.Account },
		func(a Account) (Account, error) {
			out, err := a.WithAccountSnapshot(snap)
			out.Marks.Account = mark
			return out, err
		})
}

// ApplyCapabilitySnapshot applies a capability.updated marked mark for
// capability c (WithCapabilitySnapshot), judged against that capability's
// own Mark only.
func (s *Service) ApplyCapabilitySnapshot(ctx context.Context, id ID, c requirements.Capability, reqs requirements.Set, mark snapshot.Mark) (Applied, error) {
	return s.applySnapshot(ctx, id, mark,
		func(m Marks) snapshot.Mark { return m.Capability(c) },
		func(a Account) (Account, error) {
			out, err := a.WithCapabilitySnapshot(c, reqs)
			if err != nil {
				return Account{}, err
			}
			out.Marks.Capabilities, err = setMark(out.Marks.Capabilities, ObjectMark{ID: string(c), Mark: mark})
			return out, err
		})
}

// ApplyV2Snapshot applies an Accounts v2 account fetched for a v2 thin event
// marked mark (WithV2Snapshot), judged against Marks.V2.
func (s *Service) ApplyV2Snapshot(ctx context.Context, id ID, reqs requirements.Set, mark snapshot.Mark) (Applied, error) {
	return s.applySnapshot(ctx, id, mark,
		func(m Marks) snapshot.Mark { return m.V2 },
		func(a Account) (Account, error) {
			out, err := a.WithV2Snapshot(reqs)
			out.Marks.V2 = mark
			return out, err
		})
}

// ApplyPersonSnapshot applies a person event marked mark
// (WithPersonSnapshot), judged against that person's own Mark. A deleted
// person's Mark stays, so a late person.updated for it is stale.
func (s *Service) ApplyPersonSnapshot(ctx context.Context, id ID, p PersonSnapshot, mark snapshot.Mark) (Applied, error) {
	return s.applySnapshot(ctx, id, mark,
		func(m Marks) snapshot.Mark { return m.Person(p.ID) },
		func(a Account) (Account, error) {
			out, err := a.WithPersonSnapshot(p)
			if err != nil {
				return Account{}, err
			}
			out.Marks.Persons, err = setMark(out.Marks.Persons, ObjectMark{ID: p.ID, Mark: mark, Deleted: p.Deleted})
			return out, err
		})
}

// ApplyDeauthorization applies an account.application.deauthorized marked
// mark: the account is removed for this platform (A6) — permanently, as by
// Remove, with its platform-controlled settings cleared — and every later
// operation is refused with ErrRemoved. Judged against
// Marks.Deauthorization.
func (s *Service) ApplyDeauthorization(ctx context.Context, id ID, mark snapshot.Mark) (Applied, error) {
	return s.applySnapshot(ctx, id, mark,
		func(m Marks) snapshot.Mark { return m.Deauthorization },
		func(a Account) (Account, error) {
			out := a.withDeauthorization()
			out.Marks.Deauthorization = mark
			return out, nil
		})
}

// applySnapshot reads the account, judges mark against the stored mark of
// the source, and when newer writes edit(account) conditionally on the
// version read; a write lost to another writer re-reads and judges again,
// at most maxApplyAttempts times (then ErrConflict).
func (s *Service) applySnapshot(ctx context.Context, id ID, mark snapshot.Mark, stored func(Marks) snapshot.Mark, edit func(Account) (Account, error)) (Applied, error) {
	if err := s.ready(); err != nil {
		return Applied{}, err
	}
	if err := mark.Validate(); err != nil {
		return Applied{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if !id.Valid() {
		return Applied{}, invalidID()
	}
	for range maxApplyAttempts {
		a, err := s.Store.Get(ctx, id)
		if err != nil {
			return Applied{}, wrap(err, "apply event "+mark.EventID)
		}
		if v := snapshot.Judge(stored(a.Marks), mark); v != snapshot.Newer {
			return Applied{Verdict: v, Before: a, After: a}, nil
		}
		next, err := edit(a)
		if err != nil {
			return Applied{}, wrap(err, "apply event "+mark.EventID)
		}
		got, err := s.Store.Update(ctx, next, a.Version)
		if errors.Is(err, ErrConflict) {
			continue
		}
		if err != nil {
			return Applied{}, wrap(err, "apply event "+mark.EventID)
		}
		return Applied{Verdict: snapshot.Newer, Before: a, After: got}, nil
	}
	return Applied{}, wrap(fmt.Errorf("%w: %d concurrent writers in a row", ErrConflict, maxApplyAttempts), "apply event "+mark.EventID)
}
