package links

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/connectkit/connectkit/account"
)

// MemoryStore is an in-memory Store, for tests, examples and single-process
// use. It is safe for concurrent use: one mutex serialises every method, so
// each conditional write is atomic. It returns copies. It keeps every
// account link it was given; a long-running process should prefer a
// database-backed Store.
//
// The zero MemoryStore is empty and ready to use; it must not be copied
// after first use.
type MemoryStore struct {
	mu          sync.Mutex
	accountLink map[TokenHash]AccountLink
	windows     map[TokenHash]refreshWindow
	remByID     map[LinkID]RemediationLink
	remByAcct   map[account.ID]LinkID
	remTokens   map[TokenHash]LinkID
	remHashes   map[LinkID][]TokenHash
}

type refreshWindow struct {
	start time.Time
	count int
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{} }

func (m *MemoryStore) init() {
	if m.accountLink == nil {
		m.accountLink = make(map[TokenHash]AccountLink)
		m.windows = make(map[TokenHash]refreshWindow)
		m.remByID = make(map[LinkID]RemediationLink)
		m.remByAcct = make(map[account.ID]LinkID)
		m.remTokens = make(map[TokenHash]LinkID)
		m.remHashes = make(map[LinkID][]TokenHash)
	}
}

// lock checks ctx, then takes the mutex; callers defer m.mu.Unlock only on
// a nil error.
func (m *MemoryStore) lock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	m.init()
	return nil
}

// CreateAccountLink implements Store.
func (m *MemoryStore) CreateAccountLink(ctx context.Context, l AccountLink) error {
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	if err := l.Validate(); err != nil {
		return err
	}
	if _, ok := m.accountLink[l.Hash]; ok {
		return ErrExists
	}
	m.accountLink[l.Hash] = l
	return nil
}

// ReplaceAccountLink implements Store.
func (m *MemoryStore) ReplaceAccountLink(ctx context.Context, prev TokenHash, next AccountLink, now time.Time) (AccountLink, error) {
	if err := m.lock(ctx); err != nil {
		return AccountLink{}, err
	}
	defer m.mu.Unlock()
	if err := next.Validate(); err != nil {
		return AccountLink{}, err
	}
	p, ok := m.accountLink[prev]
	switch {
	case !ok:
		return AccountLink{}, ErrNotFound
	case p.Replaced():
		return p, ErrSuperseded
	case p.Chain != next.Chain || !p.ChainStarted.Equal(next.ChainStarted):
		return AccountLink{}, fmt.Errorf("%w: the next link is not of the replaced link's chain", ErrInvalid)
	}
	if _, ok := m.accountLink[next.Hash]; ok {
		return AccountLink{}, ErrExists
	}
	p.ReplacedAt = now
	m.accountLink[prev] = p
	m.accountLink[next.Hash] = next
	return p, nil
}

// AccountLink implements Store.
func (m *MemoryStore) AccountLink(ctx context.Context, h TokenHash) (AccountLink, error) {
	if err := m.lock(ctx); err != nil {
		return AccountLink{}, err
	}
	defer m.mu.Unlock()
	l, ok := m.accountLink[h]
	if !ok {
		return AccountLink{}, ErrNotFound
	}
	return l, nil
}

// RedeemAccountLink implements Store.
func (m *MemoryStore) RedeemAccountLink(ctx context.Context, h TokenHash, now time.Time) (AccountLink, error) {
	if err := m.lock(ctx); err != nil {
		return AccountLink{}, err
	}
	defer m.mu.Unlock()
	l, ok := m.accountLink[h]
	if !ok {
		return AccountLink{}, ErrNotFound
	}
	switch l.RedeemableAt(now) {
	case ReasonLinkAlreadyUsed:
		return l, ErrAlreadyUsed
	case ReasonLinkReplaced:
		return l, ErrSuperseded
	case ReasonLinkExpired:
		return l, ErrExpired
	}
	l.UsedAt = now
	m.accountLink[h] = l
	return l, nil
}

// MarkAccountLinkReturned implements Store.
func (m *MemoryStore) MarkAccountLinkReturned(ctx context.Context, h TokenHash, now time.Time) (AccountLink, error) {
	if err := m.lock(ctx); err != nil {
		return AccountLink{}, err
	}
	defer m.mu.Unlock()
	l, ok := m.accountLink[h]
	switch {
	case !ok:
		return AccountLink{}, ErrNotFound
	case !l.Used():
		return l, ErrNotRedeemed
	}
	if l.ReturnedAt.IsZero() {
		l.ReturnedAt = now
		m.accountLink[h] = l
	}
	return l, nil
}

// TakeRefresh implements Store.
func (m *MemoryStore) TakeRefresh(ctx context.Context, chain TokenHash, now time.Time, window time.Duration, limit int) (int, error) {
	if err := m.lock(ctx); err != nil {
		return 0, err
	}
	defer m.mu.Unlock()
	w, ok := m.windows[chain]
	switch {
	case !ok || !w.start.After(now.Add(-window)):
		if limit < 1 {
			return 0, ErrRefreshLimit
		}
		w = refreshWindow{start: now, count: 1}
	case w.count < limit:
		w.count++
	default:
		return w.count, ErrRefreshLimit
	}
	m.windows[chain] = w
	return w.count, nil
}

// CreateRemediationLink implements Store.
func (m *MemoryStore) CreateRemediationLink(ctx context.Context, l RemediationLink, h TokenHash, now time.Time) (RemediationLink, error) {
	if err := m.lock(ctx); err != nil {
		return RemediationLink{}, err
	}
	defer m.mu.Unlock()
	if err := l.Validate(); err != nil {
		return RemediationLink{}, err
	}
	if id, ok := m.remByAcct[l.Account]; ok {
		if cur := m.remByID[id]; cur.Active(now) {
			return cur, ErrExists
		}
	}
	if _, ok := m.remTokens[h]; ok {
		return RemediationLink{}, ErrExists
	}
	if _, ok := m.remByID[l.ID]; ok {
		return RemediationLink{}, ErrExists
	}
	if old, ok := m.remByAcct[l.Account]; ok {
		for _, oh := range m.remHashes[old] {
			delete(m.remTokens, oh)
		}
		delete(m.remHashes, old)
		delete(m.remByID, old)
	}
	l.Version = 1
	m.remByID[l.ID] = l
	m.remByAcct[l.Account] = l.ID
	m.remTokens[h] = l.ID
	m.remHashes[l.ID] = []TokenHash{h}
	return l, nil
}

// AddRemediationToken implements Store.
func (m *MemoryStore) AddRemediationToken(ctx context.Context, id LinkID, h TokenHash, now time.Time) error {
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	if err := ValidateLinkID(id); err != nil {
		return err
	}
	l, ok := m.remByID[id]
	switch {
	case !ok:
		return ErrNotFound
	case !l.Active(now):
		return ErrExpired
	}
	if _, ok := m.remTokens[h]; ok {
		return ErrExists
	}
	m.remTokens[h] = id
	hs := append(m.remHashes[id], h)
	if n := len(hs) - MaxRemediationTokens; n > 0 {
		for _, old := range hs[:n] {
			delete(m.remTokens, old)
		}
		hs = append([]TokenHash(nil), hs[n:]...)
	}
	m.remHashes[id] = hs
	return nil
}

// RevokeRemediationLink implements Store.
func (m *MemoryStore) RevokeRemediationLink(ctx context.Context, id LinkID, by string, now time.Time) (RemediationLink, error) {
	if err := m.lock(ctx); err != nil {
		return RemediationLink{}, err
	}
	defer m.mu.Unlock()
	if err := ValidateLinkID(id); err != nil {
		return RemediationLink{}, err
	}
	if err := validUser("revoked by", by); err != nil {
		return RemediationLink{}, err
	}
	l, ok := m.remByID[id]
	switch {
	case !ok:
		return RemediationLink{}, ErrNotFound
	case !l.Active(now):
		return l, ErrExpired
	}
	l.RevokedAt, l.LastChangedBy = now, by
	l.Version++
	m.remByID[id] = l
	for _, h := range m.remHashes[id] {
		delete(m.remTokens, h)
	}
	delete(m.remHashes, id)
	return l, nil
}

// RemediationLinkByToken implements Store.
func (m *MemoryStore) RemediationLinkByToken(ctx context.Context, h TokenHash) (RemediationLink, error) {
	if err := m.lock(ctx); err != nil {
		return RemediationLink{}, err
	}
	defer m.mu.Unlock()
	id, ok := m.remTokens[h]
	if !ok {
		return RemediationLink{}, ErrNotFound
	}
	return m.remByID[id], nil
}

// RemediationLink implements Store.
func (m *MemoryStore) RemediationLink(ctx context.Context, id LinkID) (RemediationLink, error) {
	if err := m.lock(ctx); err != nil {
		return RemediationLink{}, err
	}
	defer m.mu.Unlock()
	if err := ValidateLinkID(id); err != nil {
		return RemediationLink{}, err
	}
	l, ok := m.remByID[id]
	if !ok {
		return RemediationLink{}, ErrNotFound
	}
	return l, nil
}

// RemediationLinkByAccount implements Store.
func (m *MemoryStore) RemediationLinkByAccount(ctx context.Context, acct account.ID) (RemediationLink, error) {
	if err := m.lock(ctx); err != nil {
		return RemediationLink{}, err
	}
	defer m.mu.Unlock()
	if err := ValidateAccountID(acct); err != nil {
		return RemediationLink{}, err
	}
	id, ok := m.remByAcct[acct]
	if !ok {
		return RemediationLink{}, ErrNotFound
	}
	return m.remByID[id], nil
}

// UpdateRemediationLink implements Store.
func (m *MemoryStore) UpdateRemediationLink(ctx context.Context, l RemediationLink) (RemediationLink, error) {
	if err := m.lock(ctx); err != nil {
		return RemediationLink{}, err
	}
	defer m.mu.Unlock()
	cur, ok := m.remByID[l.ID]
	if ok {
		// The fields the update cannot change are checked as stored.
		l.Account, l.Created, l.ExpiresAt, l.RevokedAt = cur.Account, cur.Created, cur.ExpiresAt, cur.RevokedAt
	}
	if err := l.Validate(); err != nil {
		return RemediationLink{}, err
	}
	switch {
	case !ok:
		return RemediationLink{}, ErrNotFound
	case cur.Version != l.Version:
		return cur, ErrConflict
	}
	l.Version = cur.Version + 1
	m.remByID[l.ID] = l
	return l, nil
}
