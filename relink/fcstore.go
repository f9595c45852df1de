package relink

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/connectkit/connectkit/snapshot"
)

// StoredAccount is a Financial Connections account as an AccountStore
// keeps it: the account, the mark of the Stripe snapshot (event) it came
// from, and its optimistic version. It is a plain value; Stores hand out
// copies. The zero StoredAccount is "nothing stored": version 0, zero mark.
type StoredAccount struct {
	// Account is the account as last applied.
	Account Account
	// Mark orders the snapshot Account came from among the account's
	// events (snapshot.Judge); zero when it came from no event (an API
	// read, for example), which every event's snapshot is newer than.
	Mark snapshot.Mark
	// Version is the optimistic version: 1 when created, one more at each
	// write. PutFCAccount's expected version is the version read.
	Version uint64
}

// MaxAccountsPage bounds how many accounts one FCAccounts call returns.
const MaxAccountsPage = 1000

// AccountStore keeps the Financial Connections accounts relink decides on,
// each with the mark of the newest snapshot applied, so that Stripe's
// financial_connections.account.* events can be applied late, twice or out
// of order (Service.ApplyAccountSnapshot), and a campaign can run over the
// stored accounts (Service.Campaign). It is embedded in Store.
//
// Every write is conditional on the version read, so of many replicas
// applying snapshots of one account at once, each write is judged against
// the snapshot it replaces (the service's read-judge-write on one
// version). The ordering guard is in the write too: PutFCAccount never
// replaces a stored mark with an older one (snapshot.Mark.Compare: by
// Created, then event ID bytewise — COLLATE "C" in SQL), whatever the
// version, so a caller that skipped the judge cannot put an older
// snapshot back. For a schema such as
//
//	CREATE TABLE relink_fc_accounts (
//	  id text PRIMARY KEY, body text NOT NULL,   -- Account.MarshalJSON
//	  mark_created timestamptz, mark_event_id text NOT NULL,
//	  version bigint NOT NULL);
//
// the methods map to the SQL in their documentation.
//
// Errors. Bad input is refused before anything is written, with an error
// matching ErrInvalid, by every Store alike: an Account that
// Account.Validate refuses, a mark that is neither zero nor valid
// (snapshot.Mark.Validate), an AccountID that AccountID.Validate refuses,
// a page size outside 1…MaxAccountsPage. Sentinels (ErrInvalid,
// ErrNotFound, ErrExists, ErrConflict) mean nothing was written; any other
// error from a write leaves its outcome unknown (re-read before retrying).
//
// Times: a mark's Created may be stored to the microsecond, and account
// timestamps to the second (Stripe sends Unix seconds).
type AccountStore interface {
	// FCAccount returns the stored account with the given ID, or
	// ErrNotFound. In SQL:
	//
	//	SELECT body, mark_created, mark_event_id, version
	//	FROM relink_fc_accounts WHERE id = $id
	FCAccount(ctx context.Context, id AccountID) (StoredAccount, error)

	// PutFCAccount writes s.Account with s.Mark, conditionally on the
	// stored version being expectVersion, and returns what is stored, at
	// version expectVersion+1 (s.Version is ignored). expectVersion 0
	// creates the account: ErrExists if it is already stored. Otherwise a
	// missing account is ErrNotFound, and a stored version other than
	// expectVersion, or a stored mark newer than s.Mark (s.Mark.Compare <
	// 0: an older snapshot never replaces a newer one; the same mark again
	// is written), is ErrConflict (another write won: re-read, re-judge).
	// One statement either way:
	//
	//	INSERT INTO relink_fc_accounts (id, body, mark_created, mark_event_id, version)
	//	VALUES ($id, $body, $created, $event, 1)
	//	ON CONFLICT (id) DO NOTHING                       -- expectVersion 0
	//
	//	UPDATE relink_fc_accounts
	//	SET body = $body, mark_created = $created, mark_event_id = $event,
	//	    version = version + 1
	//	WHERE id = $id AND version = $expect              -- otherwise
	//	  AND (mark_created IS NULL                       -- stored: no event
	//	       OR mark_created < $created
	//	       OR mark_created = $created AND mark_event_id COLLATE "C" <= $event)
	//	-- zero rows: a read-only SELECT tells ErrNotFound from ErrConflict
	PutFCAccount(ctx context.Context, s StoredAccount, expectVersion uint64) (StoredAccount, error)

	// FCAccounts returns at most limit stored accounts whose IDs are
	// after after (every account when after is empty), in one stated
	// order: by ID compared bytewise, as Go compares strings (in SQL:
	// WHERE id > $after ORDER BY id COLLATE "C" LIMIT $limit). A page
	// shorter than limit is the last. limit must be 1…MaxAccountsPage;
	// after must be empty or a valid AccountID.
	FCAccounts(ctx context.Context, after AccountID, limit int) ([]StoredAccount, error)
}

// olderMarkError is PutFCAccount's refusal of a snapshot older than the
// stored one; it matches ErrConflict.
func olderMarkError(id AccountID, m, stored snapshot.Mark) error {
	return fmt.Errorf("%w: financial connections account %s holds the snapshot of %s, newer than %s", ErrConflict, id, markText(stored), markText(m))
}

func markText(m snapshot.Mark) string {
	if m.IsZero() {
		return "no event"
	}
	return fmt.Sprintf("event %s at %s", m.EventID, m.Created.UTC().Format(time.RFC3339Nano))
}

// ValidateStored returns nil when s can be written by PutFCAccount: its
// Account passes Account.Validate and its Mark is zero or passes
// snapshot.Mark.Validate (an error matching ErrInvalid then, too).
func (s StoredAccount) ValidateStored() error {
	if err := s.Account.Validate(); err != nil {
		return err
	}
	if !s.Mark.IsZero() {
		if err := s.Mark.Validate(); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalid, err)
		}
	}
	return nil
}

// ValidatePage returns nil when after and limit are a valid FCAccounts
// page, and otherwise an *InvalidError.
func ValidatePage(after AccountID, limit int) error {
	if after != "" {
		if err := after.Validate(); err != nil {
			return err
		}
	}
	if limit < 1 || limit > MaxAccountsPage {
		return &InvalidError{Field: "limit", Value: fmt.Sprint(limit)}
	}
	return nil
}

// FCAccount implements AccountStore.
func (s *MemoryStore) FCAccount(ctx context.Context, id AccountID) (StoredAccount, error) {
	if err := ctx.Err(); err != nil {
		return StoredAccount{}, err
	}
	if err := id.Validate(); err != nil {
		return StoredAccount{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.fc[id]
	if !ok {
		return StoredAccount{}, fmt.Errorf("%w: financial connections account %s", ErrNotFound, id)
	}
	a := *p
	a.Account = a.Account.Clone()
	return a, nil
}

// PutFCAccount implements AccountStore.
func (s *MemoryStore) PutFCAccount(ctx context.Context, a StoredAccount, expectVersion uint64) (StoredAccount, error) {
	if err := ctx.Err(); err != nil {
		return StoredAccount{}, err
	}
	if err := a.ValidateStored(); err != nil {
		return StoredAccount{}, err
	}
	a.Account = a.Account.Clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.fc[a.Account.ID]
	var cur StoredAccount
	if ok {
		cur = *p
	}
	switch {
	case expectVersion == 0 && ok:
		return StoredAccount{}, fmt.Errorf("%w: financial connections account %s", ErrExists, a.Account.ID)
	case expectVersion != 0 && !ok:
		return StoredAccount{}, fmt.Errorf("%w: financial connections account %s", ErrNotFound, a.Account.ID)
	case expectVersion != 0 && cur.Version != expectVersion:
		return StoredAccount{}, fmt.Errorf("%w: financial connections account %s is at version %d, not %d", ErrConflict, a.Account.ID, cur.Version, expectVersion)
	case expectVersion != 0 && a.Mark.Compare(cur.Mark) < 0:
		return StoredAccount{}, olderMarkError(a.Account.ID, a.Mark, cur.Mark)
	}
	if s.fc == nil {
		s.fc = make(map[AccountID]*StoredAccount)
	}
	a.Version = expectVersion + 1
	if ok {
		*p = a
	} else {
		p = new(StoredAccount)
		*p = a
		if n := len(s.fcOrder); n == 0 {
			s.fcSorted = true
		} else if s.fcSorted && a.Account.ID < s.fcOrder[n-1].Account.ID {
			s.fcSorted = false
		}
		s.fcOrder = append(s.fcOrder, p)
		s.fc[a.Account.ID] = p
	}
	a.Account = a.Account.Clone()
	return a, nil
}

// FCAccounts implements AccountStore.
func (s *MemoryStore) FCAccounts(ctx context.Context, after AccountID, limit int) ([]StoredAccount, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := ValidatePage(after, limit); err != nil {
		return nil, err
	}
	s.mu.Lock()
	ps := s.fcPage(after, limit)
	out := make([]StoredAccount, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	s.mu.Unlock()
	for i := range out {
		out[i].Account = out[i].Account.Clone()
	}
	return out, nil
}

// fcPage returns at most limit stored accounts after after, by ID
// bytewise, as Go compares strings. s.mu is held; the slice and the
// accounts are valid until it is released.
func (s *MemoryStore) fcPage(after AccountID, limit int) []*StoredAccount {
	byID := func(p *StoredAccount, id AccountID) int { return strings.Compare(string(p.Account.ID), string(id)) }
	if !s.fcSorted {
		slices.SortFunc(s.fcOrder, func(a, b *StoredAccount) int { return byID(a, b.Account.ID) })
		s.fcSorted = true
	}
	i, found := slices.BinarySearchFunc(s.fcOrder, after, byID)
	if found {
		i++
	}
	return s.fcOrder[i:min(i+limit, len(s.fcOrder))]
}
