package relink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/connectkit/connectkit/roles"
	"github.com/connectkit/connectkit/snapshot"
)

// MaxApplyAttempts bounds how many times ApplyAccountSnapshot and
// ApplySessionResult read, judge and write when other writers keep winning.
// Each lost attempt means another write was applied, so the bound is only
// reached under a burst of distinct events for one object; the error then
// matches ErrConflict and the event may be delivered again.
const MaxApplyAttempts = 8

// AccountApplied reports what applying one Financial Connections account
// snapshot did: the verdict on its mark, and the account's status and
// hosted-relink eligibility before and after, judged at the now given (so
// a TAN that came within 30 days of expiry while events were in flight
// counts). It is a plain value; it encodes as JSON with snake_case members.
type AccountApplied struct {
	// Account is the account the snapshot is of.
	Account AccountID
	// Verdict is snapshot.Newer when the snapshot was written, Duplicate
	// when the same event was already applied, Stale when a newer one was
	// (nothing written then).
	Verdict snapshot.Verdict
	// Stored is what the store holds afterwards: the snapshot written
	// (Newer), or the one found (Duplicate, Stale).
	Stored StoredAccount
	// Created reports that the account was not stored before.
	Created bool
	// StatusBefore is the stored status before ("" when Created);
	// StatusAfter the status afterwards.
	StatusBefore, StatusAfter AccountStatus
	// EligibleBefore and EligibleAfter report whether the account was and
	// is eligible for hosted relink at now (see Eligibility).
	EligibleBefore, EligibleAfter bool
	// RelinkRequired reports that Stripe flags the account afterwards
	// (status_details.active.action relink_required).
	RelinkRequired bool
	// Deadline is when EligibleAfter the instant by which the customer
	// should relink: the expected_deactivation_date Stripe gave with
	// relink_required, or else the earliest expiry of a transactable TAN
	// (possibly passed). Zero when not eligible or no date is known.
	Deadline time.Time
}

// NewlyEligible reports that the account became eligible for hosted
// relink with this snapshot.
func (a AccountApplied) NewlyEligible() bool { return a.EligibleAfter && !a.EligibleBefore }

// MarshalJSON encodes a as
//
//	{"account": "fca_…", "verdict": "newer", "version": 2, "created": false,
//	 "status_before": "active", "status_after": "inactive",
//	 "eligible_before": false, "eligible_after": true, "newly_eligible": true,
//	 "relink_required": false, "deadline": "2026-03-20T00:00:00Z"}
//
// with deadline only when known. The stored account itself is not
// included (encode Stored.Account for it).
func (a AccountApplied) MarshalJSON() ([]byte, error) {
	w := struct {
		Account        AccountID     `json:"account"`
		Verdict        string        `json:"verdict"`
		Version        uint64        `json:"version"`
		Created        bool          `json:"created"`
		StatusBefore   AccountStatus `json:"status_before"`
		StatusAfter    AccountStatus `json:"status_after"`
		EligibleBefore bool          `json:"eligible_before"`
		EligibleAfter  bool          `json:"eligible_after"`
		NewlyEligible  bool          `json:"newly_eligible"`
		RelinkRequired bool          `json:"relink_required"`
		Deadline       *time.Time    `json:"deadline,omitempty"`
	}{a.Account, a.Verdict.String(), a.Stored.Version, a.Created, a.StatusBefore, a.StatusAfter,
		a.EligibleBefore, a.EligibleAfter, a.NewlyEligible(), a.RelinkRequired, nil}
	if !a.Deadline.IsZero() {
		d := a.Deadline.UTC()
		w.Deadline = &d
	}
	return json.Marshal(w)
}

// Eligibility reports whether acct is eligible for hosted relink at now on
// the account's own criteria — a ground (inactive and repairable, Stripe's
// relink_required, or a TAN within 30 days of expiry; K2), a holder (K2),
// not disconnected (K1) — which is what CanRequest checks for a hosted
// session delivered by URL; asks that make Stripe email add the email
// (K2, K6) and the 48-hour limit (K3). When eligible, deadline is the
// instant by which to relink (see AccountApplied.Deadline), zero when none
// is known. It is pure and does not allocate.
func Eligibility(acct Account, now time.Time) (eligible bool, deadline time.Time) {
	d := CanRequest(roles.Policy{}, Ask{Method: MethodHostedAPI, Delivery: DeliveryURL}, acct, Limit{}, nil, now)
	if !d.Allowed {
		return false, time.Time{}
	}
	if d.RelinkRequired && d.Deadline.Valid {
		return true, d.Deadline.Time
	}
	var earliest time.Time
	known := false
	if tan, _ := acct.TANGround(now); tan {
		for i := range acct.AccountNumbers {
			n := &acct.AccountNumbers[i]
			if n.IsTAN() && n.Status == NumberTransactable && n.ExpectedExpiry.Valid && (!known || n.ExpectedExpiry.Time.Before(earliest)) {
				earliest, known = n.ExpectedExpiry.Time, true
			}
		}
	}
	return true, earliest
}

// ApplyAccountSnapshot is shorthand for ApplyAccountSnapshotAt(ctx, acct,
// mark, s.Clock.Now()).
func (s *Service) ApplyAccountSnapshot(ctx context.Context, acct Account, mark snapshot.Mark) (AccountApplied, error) {
	return s.ApplyAccountSnapshotAt(ctx, acct, mark, s.now())
}

// ApplyAccountSnapshotAt applies acct, Stripe's snapshot of a Financial
// Connections account from the event marked mark (a
// financial_connections.account.* event's data.object, decoded with
// ParseAccount), with one conditional write: it reads the stored account,
// judges mark against the stored one (snapshot.Judge), and when newer
// writes acct with PutFCAccount at the version read. When another writer
// wins (ErrConflict, or ErrExists for a first snapshot), it reads and
// judges again, at most MaxApplyAttempts times in all. A duplicate or
// stale snapshot writes nothing. Two events of one account in the same
// second are ordered by event ID (snapshot.Mark.Compare), so every
// delivery order ends on the same snapshot.
//
// The report gives the verdict, the status and the hosted-relink
// eligibility (Eligibility) before and after at now, and the deadline.
// acct failing Account.Validate, or a mark failing snapshot.Mark.Validate,
// is an error matching ErrInvalid, and nothing is written.
func (s *Service) ApplyAccountSnapshotAt(ctx context.Context, acct Account, mark snapshot.Mark, now time.Time) (AccountApplied, error) {
	if s.Store == nil {
		return AccountApplied{}, ErrNoStore
	}
	if err := acct.Validate(); err != nil {
		return AccountApplied{}, err
	}
	if err := mark.Validate(); err != nil {
		return AccountApplied{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	for range MaxApplyAttempts {
		cur, err := s.Store.FCAccount(ctx, acct.ID)
		found := err == nil
		if err != nil && !errors.Is(err, ErrNotFound) {
			return AccountApplied{}, err
		}
		res := AccountApplied{Account: acct.ID, Verdict: snapshot.Judge(cur.Mark, mark), Stored: cur, Created: !found}
		if found {
			res.StatusBefore = cur.Account.Status
			res.EligibleBefore, _ = Eligibility(cur.Account, now)
		}
		if res.Verdict == snapshot.Newer {
			put, err := s.Store.PutFCAccount(ctx, StoredAccount{Account: acct, Mark: mark}, cur.Version)
			switch {
			case errors.Is(err, ErrConflict), errors.Is(err, ErrExists), found && errors.Is(err, ErrNotFound):
				continue // another writer won: read and judge again
			case err != nil:
				return AccountApplied{}, err
			}
			res.Stored = put
		} else {
			res.Created = false
		}
		after := res.Stored.Account
		res.StatusAfter = after.Status
		res.EligibleAfter, res.Deadline = Eligibility(after, now)
		res.RelinkRequired = after.Status == AccountActive && after.Active.Action == ActionRelinkRequired
		return res, nil
	}
	return AccountApplied{}, fmt.Errorf("%w: financial connections account %s changed %d times while applying event %s", ErrConflict, acct.ID, MaxApplyAttempts, mark.EventID)
}

// Campaign is shorthand for CampaignAt(ctx, ask, s.Clock.Now()).
func (s *Service) Campaign(ctx context.Context, ask Ask) (Campaign, error) {
	return s.CampaignAt(ctx, ask, s.now())
}

// CampaignAt plans a relink campaign (PlanCampaignSlice, with the
// Service's Policy and ConfirmedEmails) over every account the Store
// holds, in the Store's order (by ID, bytewise), with each account's limit
// read from its requests when ask is limited. It writes nothing; the error
// is for storage faults. It reads the store a page of MaxAccountsPage
// accounts at a time, and once per account for a limited ask (a
// MemoryStore is read in place, page by page, without copying accounts).
func (s *Service) CampaignAt(ctx context.Context, ask Ask, now time.Time) (Campaign, error) {
	if s.Store == nil {
		return Campaign{}, ErrNoStore
	}
	pol := s.policy()
	if mem, ok := s.Store.(*MemoryStore); ok {
		return mem.campaign(ctx, pol, ask, s.ConfirmedEmails, now)
	}
	var targets []Target
	var after AccountID
	for {
		page, err := s.Store.FCAccounts(ctx, after, MaxAccountsPage)
		if err != nil {
			return Campaign{}, err
		}
		for _, st := range page {
			t := Target{Account: st.Account}
			if ask.Limited() {
				reqs, err := s.Store.ListByAccount(ctx, st.Account.ID)
				if err != nil {
					return Campaign{}, err
				}
				t.Limit = LimitOf(reqs)
			}
			targets = append(targets, t)
		}
		if len(page) < MaxAccountsPage {
			break
		}
		after = page[len(page)-1].Account.ID
	}
	return PlanCampaignSlice(pol, ask, targets, s.ConfirmedEmails, now), nil
}

// campaign is Service.CampaignAt over the store: the same pages, in the
// same order, each account's limit read as limitOf does, without copying
// the accounts (the store never changes a stored account in place, and
// the campaign only reads them) or collecting the targets first.
func (s *MemoryStore) campaign(ctx context.Context, pol roles.Policy, ask Ask, confirmedEmails []string, now time.Time) (Campaign, error) {
	if err := ctx.Err(); err != nil {
		return Campaign{}, err
	}
	s.mu.Lock()
	hint := len(s.fc)
	s.mu.Unlock()
	p := newPlanner(pol, ask, hint, confirmedEmails, now)
	page := make([]Target, 0, MaxAccountsPage)
	var after AccountID
	for {
		if err := ctx.Err(); err != nil {
			return Campaign{}, err
		}
		page = s.campaignPage(page[:0], after, ask.Limited())
		for i := range page {
			p.add(&page[i])
		}
		if len(page) < MaxAccountsPage {
			return p.done(), nil
		}
		after = page[len(page)-1].Account.ID
	}
}

// campaignPage appends to buf the targets of the accounts after after, at
// most MaxAccountsPage, as FCAccounts pages them, with their limits when
// limited.
func (s *MemoryStore) campaignPage(buf []Target, after AccountID, limited bool) []Target {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.fcPage(after, MaxAccountsPage) {
		t := Target{Account: p.Account}
		if limited {
			if ar := s.byAccount[p.Account.ID]; ar != nil {
				t.Limit = ar.limitNow()
			}
		}
		buf = append(buf, t)
	}
	return buf
}
