package events

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/requirements"
)

// Handler applies events to the platform's state, each with one conditional
// write through the package's Service, and reports what changed. It is a
// plain struct; the zero Handler refuses every event with ErrNoStore. It
// starts no goroutines and does no I/O of its own.
type Handler struct {
	// Accounts applies account, capability, person and deauthorization
	// events.
	Accounts *account.Service
	// Relink applies Financial Connections events; nil reports them
	// unhandled.
	Relink *relink.Service
	// Clock gives the instant reports are computed at; nil is
	// clock.System{}.
	Clock clock.Clock
}

func (h *Handler) now() time.Time {
	if h.Clock == nil {
		return clock.System{}.Now()
	}
	return h.Clock.Now()
}

// Apply is shorthand for ApplyAt(ctx, ev, h.Clock.Now()).
func (h *Handler) Apply(ctx context.Context, ev Event) (Report, error) {
	return h.ApplyAt(ctx, ev, h.now())
}

// ApplyAt applies a v1 event and reports what changed, as views at now:
//
//   - account.updated: the account's own requirements hashes, capabilities
//     map and modelled details (account.Service.ApplyAccountSnapshot);
//   - capability.updated: that capability's hashes only
//     (ApplyCapabilitySnapshot);
//   - account.application.deauthorized: the account (the envelope's
//     `account`) is removed for this platform, A6 (ApplyDeauthorization);
//   - person.created, person.updated, person.deleted: the representative's
//     L8 facts (ApplyPersonSnapshot);
//   - financial_connections.account.* and financial_connections.session.updated:
//     the relink Service, when the Handler has one.
//
// Each is judged by the event's Mark against the Mark stored for its object:
// a newer event is applied (OutcomeApplied), the same event again is
// OutcomeDuplicate, an older one OutcomeStale; none of these is an error.
// Any other type is OutcomeUnhandled, not an error: acknowledge it. A
// malformed object is an error matching ErrInvalid; an account not
// stored is account.ErrNotFound (let the webhook retry once the account is
// created). A thin event of a type the Handler applies is ErrFetchRequired
// (see ApplyFetchedAt), except v2.core.account.closed and
// v2.core.account_person.deleted, which need no fetched object and are
// applied as ApplyFetchedAt applies them.
func (h *Handler) ApplyAt(ctx context.Context, ev Event, now time.Time) (Report, error) {
	r := Report{EventID: ev.ID, Type: ev.Type, Created: ev.Created, At: now, Object: ev.Object}
	if ev.Thin {
		switch {
		case ev.Type == V2AccountClosed || ev.Type == V2PersonDeleted:
			return h.ApplyFetchedAt(ctx, ev, nil, now)
		case h.appliesV2(ev.Type):
			return r, ErrFetchRequired
		}
		return unhandled(r, "connectkit does not apply this v2 event type"), nil
	}
	if err := ev.Mark().Validate(); err != nil {
		return r, &ParseError{Member: "id", Err: err}
	}
	switch {
	case ev.Type == AccountUpdated:
		return h.accountUpdated(ctx, r, ev, now)
	case ev.Type == CapabilityUpdated:
		return h.capabilityUpdated(ctx, r, ev, now)
	case ev.Type == AccountDeauthorized:
		return h.deauthorized(ctx, r, ev, now)
	case ev.Type == PersonCreated || ev.Type == PersonUpdated || ev.Type == PersonDeleted:
		return h.person(ctx, r, ev, now)
	case ev.Type == FCSessionUpdated || strings.HasPrefix(string(ev.Type), fcAccountPrefix):
		if h.Relink == nil {
			return unhandled(r, "the handler has no relink service"), nil
		}
		return h.applyRelink(ctx, r, ev, now)
	}
	return unhandled(r, "connectkit does not apply this event type"), nil
}

// ApplyFetched is shorthand for ApplyFetchedAt(ctx, ev, object, h.Clock.Now()).
func (h *Handler) ApplyFetched(ctx context.Context, ev Event, object []byte) (Report, error) {
	return h.ApplyFetchedAt(ctx, ev, object, h.now())
}

// ApplyFetchedAt applies a v2 thin event with the object its related_object
// names, which the caller fetched (the library does no I/O):
//
//   - the v2.core.account events (v2.core.account.updated,
//     v2.core.account[requirements].updated, the configuration events, …):
//     an Accounts v2 account retrieved with its requirements, whose v2
//     hashes replace the account's (account.Service.ApplyV2Snapshot);
//   - v2.core.account.closed: the account is removed for this platform
//     (A6), as by account.application.deauthorized — every later operation
//     is refused — and judged against the same removal Mark
//     (account.Service.ApplyDeauthorization). Nothing of the object is
//     read, so object may be nil (ApplyAt applies it without one); when
//     given, it must be the related v2 account;
//   - v2.core.account_person.created and .updated: the fetched v2 person
//     (`"object": "v2.core.account_person"`), reduced to what L8 checks, as
//     for the v1 person events (DecodePersonV2,
//     account.Service.ApplyPersonSnapshot, judged against that person's
//     Mark, which v1 and v2 person events share);
//   - v2.core.account_person.deleted: the person named by related_object
//     is deleted; a deleted person cannot be fetched, so object may be nil
//     (ApplyAt applies it without one).
//
// Other v2 types are OutcomeUnhandled. The object's ID must be the related
// object's, and the account the event's context.
//
// The fetched object is the object's current state, as of the fetch — not
// as of the event, which a thin event does not carry — but it is judged by
// the event's Mark (created, event ID), the same guards as ApplyAt: a thin
// event older than the newest applied for its object is stale and its
// fetched object is not written, even though the fetch itself is recent;
// the same event again is a duplicate. So the stored object is at least as
// new as the fetch made for the newest event applied, and once the newest
// event of each object has been applied (its fetch made after it was
// created) the stored object is Stripe's state after that event. A fetch
// can show changes whose events are still in flight; those events then
// apply the same or a newer state again.
func (h *Handler) ApplyFetchedAt(ctx context.Context, ev Event, object []byte, now time.Time) (Report, error) {
	r := Report{EventID: ev.ID, Type: ev.Type, Created: ev.Created, At: now, Object: ev.Object}
	if !ev.Thin {
		return h.ApplyAt(ctx, ev, now)
	}
	if !h.appliesV2(ev.Type) {
		return unhandled(r, "connectkit does not apply this v2 event type"), nil
	}
	if err := ev.Mark().Validate(); err != nil {
		return r, &ParseError{Member: "id", Err: err}
	}
	switch ev.Type {
	case V2PersonCreated, V2PersonUpdated, V2PersonDeleted:
		return h.v2Person(ctx, r, ev, object, now)
	}
	var head struct{ Object, ID string }
	if ev.Type != V2AccountClosed || object != nil {
		if err := scan(object); err != nil {
			return r, err
		}
		all, err := members("fetched object", object)
		if err == nil {
			err = getAll("fetched object", all, field{"object", &head.Object}, field{"id", &head.ID})
		}
		if err != nil {
			return r, err
		}
		if head.Object != "v2.core.account" || head.ID == "" || head.ID != ev.Object.ID {
			return r, malformed("fetched object", "want the v2 account %q, got %q %q", clip(ev.Object.ID), clip(head.Object), clip(head.ID))
		}
	}
	id, err := accountID(ev, ev.Object.ID)
	if err != nil {
		return r, err
	}
	if ev.Object.Type != "v2.core.account" {
		return r, malformed("related_object", "%s wants a v2.core.account, got %q", ev.Type, clip(ev.Object.Type))
	}
	if ev.Type == V2AccountClosed {
		if err := h.ready(); err != nil {
			return r, err
		}
		r.Account = id
		res, err := h.Accounts.ApplyDeauthorization(ctx, id, ev.Mark())
		return finish(r, res, now, err)
	}
	reqs, err := requirements.DecodeV2(object)
	if err != nil {
		return r, &ParseError{Member: "fetched object", Err: err}
	}
	if err := h.ready(); err != nil {
		return r, err
	}
	r.Account = id
	res, err := h.Accounts.ApplyV2Snapshot(ctx, r.Account, reqs, ev.Mark())
	return finish(r, res, now, err)
}

// v2Person applies a v2.core.account_person.* thin event with its fetched
// person (nil for a deletion).
func (h *Handler) v2Person(ctx context.Context, r Report, ev Event, object []byte, now time.Time) (Report, error) {
	if ev.Object.Type != "v2.core.account_person" {
		return r, malformed("related_object", "%s wants a v2.core.account_person, got %q", ev.Type, clip(ev.Object.Type))
	}
	p := account.PersonSnapshot{ID: ev.Object.ID}
	owner := ""
	if ev.Type != V2PersonDeleted || object != nil {
		var err error
		if p, owner, err = DecodePersonV2(object); err != nil {
			return r, err
		}
		if p.ID != ev.Object.ID {
			return r, malformed("fetched object", "want the v2 person %q, got %q", clip(ev.Object.ID), clip(p.ID))
		}
	}
	p.Deleted = ev.Type == V2PersonDeleted
	return h.applyPerson(ctx, r, ev, p, owner, now)
}

// appliesV2 reports whether ApplyFetched applies thin events of type t.
func (h *Handler) appliesV2(t Type) bool {
	s := string(t)
	return strings.HasPrefix(s, v2AccountPrefix) || strings.HasPrefix(s, v2AccountBracketStart) ||
		t == V2PersonCreated || t == V2PersonUpdated || t == V2PersonDeleted
}

func (h *Handler) ready() error {
	if h == nil || h.Accounts == nil || h.Accounts.Store == nil {
		return ErrNoStore
	}
	return nil
}

func unhandled(r Report, why string) Report {
	r.Outcome, r.Note = OutcomeUnhandled, why
	return r
}

// finish fills r from the outcome of an account write.
func finish(r Report, res account.Applied, now time.Time, err error) (Report, error) {
	if err != nil {
		return r, err
	}
	r.Outcome = outcomeOf(res.Verdict)
	if r.Outcome == OutcomeApplied {
		r.Changes = Diff(res.Before, res.After, now)
	}
	return r, nil
}

// accountID returns the connected account an object belongs to: the
// object's own member (want), checked against the envelope's account.
func accountID(ev Event, fromObject string) (account.ID, error) {
	id := fromObject
	if id == "" {
		id = ev.Account
	}
	if ev.Account != "" && id != ev.Account {
		return "", malformed("account", "the envelope's account %q is not the object's %q", clip(ev.Account), clip(id))
	}
	if !account.ID(id).Valid() {
		return "", malformed("account", "missing or not a valid account ID")
	}
	return account.ID(id), nil
}

func (h *Handler) accountUpdated(ctx context.Context, r Report, ev Event, now time.Time) (Report, error) {
	if ev.Object.Type != "account" {
		return r, malformed("data.object", "%s wants an account, got %q", ev.Type, clip(ev.Object.Type))
	}
	id, err := accountID(ev, ev.Object.ID)
	if err != nil {
		return r, err
	}
	snap, err := DecodeAccount(ev.Data)
	if err != nil {
		return r, err
	}
	if err := h.ready(); err != nil {
		return r, err
	}
	r.Account = id
	res, err := h.Accounts.ApplyAccountSnapshot(ctx, id, snap, ev.Mark())
	return finish(r, res, now, err)
}

func (h *Handler) capabilityUpdated(ctx context.Context, r Report, ev Event, now time.Time) (Report, error) {
	if ev.Object.Type != "capability" {
		return r, malformed("data.object", "%s wants a capability, got %q", ev.Type, clip(ev.Object.Type))
	}
	var owner string
	all, err := members("data.object", ev.Data)
	if err == nil {
		err = get("data.object", all, "account", &owner)
	}
	if err != nil {
		return r, err
	}
	id, err := accountID(ev, owner)
	if err != nil {
		return r, err
	}
	reqs, err := requirements.DecodeV1(ev.Data, nil)
	if err != nil {
		return r, &ParseError{Member: "data.object", Err: err}
	}
	if err := h.ready(); err != nil {
		return r, err
	}
	r.Account = id
	res, err := h.Accounts.ApplyCapabilitySnapshot(ctx, id, requirements.Capability(ev.Object.ID), reqs, ev.Mark())
	return finish(r, res, now, err)
}

func (h *Handler) deauthorized(ctx context.Context, r Report, ev Event, now time.Time) (Report, error) {
	id, err := accountID(ev, "")
	if err != nil {
		return r, err
	}
	if err := h.ready(); err != nil {
		return r, err
	}
	r.Account = id
	res, err := h.Accounts.ApplyDeauthorization(ctx, id, ev.Mark())
	return finish(r, res, now, err)
}

func (h *Handler) person(ctx context.Context, r Report, ev Event, now time.Time) (Report, error) {
	if ev.Object.Type != "person" {
		return r, malformed("data.object", "%s wants a person, got %q", ev.Type, clip(ev.Object.Type))
	}
	p, owner, err := DecodePerson(ev.Data)
	if err != nil {
		return r, err
	}
	p.Deleted = ev.Type == PersonDeleted
	return h.applyPerson(ctx, r, ev, p, owner, now)
}

// applyPerson applies p, as ev's snapshot, to the account owner names
// (checked against ev's account by accountID); v1 and v2 person events
// end here.
func (h *Handler) applyPerson(ctx context.Context, r Report, ev Event, p account.PersonSnapshot, owner string, now time.Time) (Report, error) {
	id, err := accountID(ev, owner)
	if err != nil {
		return r, err
	}
	if err := h.ready(); err != nil {
		return r, err
	}
	r.Account = id
	res, err := h.Accounts.ApplyPersonSnapshot(ctx, id, p, ev.Mark())
	return finish(r, res, now, err)
}

// DecodeAccount reads what account.Service.ApplyAccountSnapshot applies from
// a v1 account object (an account.updated's data.object): the requirements
// hashes and capabilities map (requirements.DecodeV1), the country, email,
// business_profile.name, the capabilities map's names and whether
// external_accounts lists one. Anything else in the account is not kept. The
// error matches ErrInvalid.
func DecodeAccount(data []byte) (account.AccountSnapshot, error) {
	if err := scan(data); err != nil {
		return account.AccountSnapshot{}, err
	}
	var in struct {
		Object          string
		Country, Email  *string
		BusinessProfile *struct{ Name *string }
		Capabilities    map[string]string
		ExternalAccts   *struct {
			Data       []json.RawMessage
			TotalCount *int
		}
	}
	const m = "data.object"
	all, err := members(m, data)
	if err != nil {
		return account.AccountSnapshot{}, err
	}
	var profile, external json.RawMessage
	if err := getAll(m, all, field{"object", &in.Object}, field{"country", &in.Country}, field{"email", &in.Email},
		field{"business_profile", &profile}, field{"capabilities", &in.Capabilities}, field{"external_accounts", &external}); err != nil {
		return account.AccountSnapshot{}, err
	}
	if bp, err := members(m+".business_profile", profile); err != nil {
		return account.AccountSnapshot{}, err
	} else if bp != nil {
		in.BusinessProfile = &struct{ Name *string }{}
		if err := get(m+".business_profile", bp, "name", &in.BusinessProfile.Name); err != nil {
			return account.AccountSnapshot{}, err
		}
	}
	if xa, err := members(m+".external_accounts", external); err != nil {
		return account.AccountSnapshot{}, err
	} else if xa != nil {
		in.ExternalAccts = &struct {
			Data       []json.RawMessage
			TotalCount *int
		}{}
		if err := getAll(m+".external_accounts", xa, field{"data", &in.ExternalAccts.Data}, field{"total_count", &in.ExternalAccts.TotalCount}); err != nil {
			return account.AccountSnapshot{}, err
		}
	}
	if in.Object != "account" {
		return account.AccountSnapshot{}, malformed("data.object.object", "want an account, got %q", clip(in.Object))
	}
	reqs, err := requirements.DecodeV1(data, nil)
	if err != nil {
		return account.AccountSnapshot{}, &ParseError{Member: "data.object", Err: err}
	}
	snap := account.AccountSnapshot{Requirements: reqs}
	if in.Country != nil {
		if !account.ValidCountry(*in.Country) {
			return account.AccountSnapshot{}, malformed("data.object.country", "not an ISO 3166-1 alpha-2 code")
		}
		snap.Country = *in.Country
	}
	if in.Email != nil {
		snap.Email = *in.Email
	}
	if in.BusinessProfile != nil && in.BusinessProfile.Name != nil {
		snap.BusinessName = *in.BusinessProfile.Name
	}
	if in.Capabilities != nil {
		snap.CapabilitiesListed = true
		for c := range in.Capabilities {
			if !requirements.Capability(c).Valid() {
				return account.AccountSnapshot{}, malformed("data.object.capabilities", "invalid capability name")
			}
			snap.Capabilities = append(snap.Capabilities, requirements.Capability(c))
		}
		slices.Sort(snap.Capabilities)
	}
	if x := in.ExternalAccts; x != nil {
		snap.ExternalAccountsListed = true
		snap.HasExternalAccount = len(x.Data) > 0 || x.TotalCount != nil && *x.TotalCount > 0
	}
	return snap, nil
}

// DecodePerson reads what L8 needs from a v1 person object: its ID, whether
// it is the representative, its full name and date of birth; and the
// account it belongs to. Nothing else is read. The error matches
// ErrInvalid.
func DecodePerson(data []byte) (p account.PersonSnapshot, owner string, err error) {
	return personV1.decode(data)
}

// DecodePersonV2 reads what L8 needs from an Accounts v2 person (`"object":
// "v2.core.account_person"`, fetched for a v2.core.account_person.* thin
// event): its ID, whether relationship.representative is set, its full
// name (given_name and surname) and date_of_birth; and the account it
// belongs to. Nothing else is read. The error matches ErrInvalid.
func DecodePersonV2(data []byte) (p account.PersonSnapshot, owner string, err error) {
	return personV2.decode(data)
}

// personShape names where a version of Stripe's API puts what L8 reads of
// a person: the member errors name, the object type and the member names
// of the first name, last name and date of birth.
type personShape struct{ member, object, first, last, dob string }

var (
	personV1 = personShape{"data.object", "person", "first_name", "last_name", "dob"}
	personV2 = personShape{"fetched object", "v2.core.account_person", "given_name", "surname", "date_of_birth"}
)

// decode is DecodePerson and DecodePersonV2, for the shape ps.
func (ps personShape) decode(data []byte) (p account.PersonSnapshot, owner string, err error) {
	if err := scan(data); err != nil {
		return account.PersonSnapshot{}, "", err
	}
	var in personIn
	if err := in.decode(data, ps.member, ps.first, ps.last, ps.dob); err != nil {
		return account.PersonSnapshot{}, "", err
	}
	if in.Object != ps.object || !account.ID(in.ID).Valid() {
		return account.PersonSnapshot{}, "", malformed(ps.member, "want a %s with an id", ps.object)
	}
	p.ID = in.ID
	p.FullName = fullName(in.First, in.Last)
	if d := in.DOB; d != nil && d.Day != nil && d.Month != nil && d.Year != nil {
		p.DOB = account.Date{Year: *d.Year, Month: time.Month(*d.Month), Day: *d.Day}
		if !p.DOB.Valid() {
			return account.PersonSnapshot{}, "", malformed(ps.member+"."+ps.dob, "not a calendar date")
		}
	}
	if r := in.Relationship; r != nil && r.Representative != nil {
		p.Representative = *r.Representative
	}
	return p, in.Account, nil
}

// personIn is what DecodePerson and DecodePersonV2 read of a person.
type personIn struct {
	Object, ID, Account string
	First, Last         *string
	DOB                 *struct{ Day, Month, Year *int }
	Relationship        *struct{ Representative *bool }
}

// decode reads a v1 or v2 person (member names it for errors; first,
// last and dob are its names of those members) by exact member name.
func (in *personIn) decode(data []byte, member, first, last, dob string) error {
	all, err := members(member, data)
	if err != nil {
		return err
	}
	var rawDOB, rawRel json.RawMessage
	if err := getAll(member, all, field{"object", &in.Object}, field{"id", &in.ID}, field{"account", &in.Account},
		field{first, &in.First}, field{last, &in.Last}, field{dob, &rawDOB}, field{"relationship", &rawRel}); err != nil {
		return err
	}
	d, err := members(member+"."+dob, rawDOB)
	if err != nil {
		return err
	}
	if d != nil {
		in.DOB = &struct{ Day, Month, Year *int }{}
		if err := getAll(member+"."+dob, d, field{"day", &in.DOB.Day}, field{"month", &in.DOB.Month}, field{"year", &in.DOB.Year}); err != nil {
			return err
		}
	}
	rel, err := members(member+".relationship", rawRel)
	if err != nil {
		return err
	}
	if rel != nil {
		in.Relationship = &struct{ Representative *bool }{}
		if err := get(member+".relationship", rel, "representative", &in.Relationship.Representative); err != nil {
			return err
		}
	}
	return nil
}

// fullName joins the non-blank names, trimmed, with a space.
func fullName(names ...*string) string {
	var out []string
	for _, n := range names {
		if n != nil && strings.TrimSpace(*n) != "" {
			out = append(out, strings.TrimSpace(*n))
		}
	}
	return strings.Join(out, " ")
}
