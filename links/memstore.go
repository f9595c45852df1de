package links

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/connectkit/connectkit/account"
)

// MemoryStore is an in-memory Store, for tests, examples and single-process
// use. It is safe for concurrent use: each conditional write is atomic
// under a mutex. Account links are spread over memShards shards by their
// token hash, each with its own mutex, so that visits of distinct links do
// not wait for one another; the remediation links share one mutex. It
// returns copies. It keeps every account link it was given; a
// long-running process should prefer a database-backed Store.
//
// The zero MemoryStore is empty and ready to use; it must not be copied
// after first use.
type MemoryStore struct {
	shards [memShards]linkShard

	mu        sync.Mutex // guards the remediation maps
	remByID   map[LinkID]RemediationLink
	remByAcct map[account.ID]LinkID
	remTokens map[TokenHash]LinkID
	remHashes map[LinkID][]TokenHash
}

// memShards is the number of account-link shards: a power of two well
// above the cores of one machine.
const memShards = 64

// linkShard holds the account links whose token hash falls to it, and the
// refresh windows of the chains whose first hash does.
type linkShard struct {
	mu          sync.Mutex
	accountLink map[TokenHash]AccountLink
	windows     map[TokenHash]refreshWindow
	_           [64]byte // keep shards' mutexes on separate cache lines
}

type refreshWindow struct {
	start time.Time
	count int
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{} }

func (m *MemoryStore) init() {
	if m.remByID == nil {
		m.remByID = make(map[LinkID]RemediationLink)
		m.remByAcct = make(map[account.ID]LinkID)
		m.remTokens = make(map[TokenHash]LinkID)
		m.remHashes = make(map[LinkID][]TokenHash)
	}
}

// lock checks ctx, then takes the remediation mutex; callers defer
// m.mu.Unlock only on a nil error.
func (m *MemoryStore) lock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	m.init()
	return nil
}

// shardOf returns the index of the shard holding hash h (a SHA-256, so
// its bytes are uniform).
func shardOf(h TokenHash) int { return int(h[0]) % memShards }

// shard checks ctx, then locks and returns the shard holding h; callers
// defer its Unlock only on a nil error.
func (m *MemoryStore) shard(ctx context.Context, h TokenHash) (*linkShard, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sh := &m.shards[shardOf(h)]
	sh.mu.Lock()
	if sh.accountLink == nil {
		sh.accountLink = make(map[TokenHash]AccountLink)
		sh.windows = make(map[TokenHash]refreshWindow)
	}
	return sh, nil
}

// CreateAccountLink implements Store.
func (m *MemoryStore) CreateAccountLink(ctx context.Context, l AccountLink) error {
	sh, err := m.shard(ctx, l.Hash)
	if err != nil {
		return err
	}
	defer sh.mu.Unlock()
	if err := l.Validate(); err != nil {
		return err
	}
	if _, ok := sh.accountLink[l.Hash]; ok {
		return ErrExists
	}
	sh.accountLink[l.Hash] = l
	return nil
}

// ReplaceAccountLink implements Store.
func (m *MemoryStore) ReplaceAccountLink(ctx context.Context, prev TokenHash, next AccountLink, now time.Time) (AccountLink, error) {
	if err := ctx.Err(); err != nil {
		return AccountLink{}, err
	}
	if err := next.Validate(); err != nil {
		return AccountLink{}, err
	}
	// Both shards, in index order, so that two replaces never wait on
	// each other crosswise.
	i, j := shardOf(prev), shardOf(next.Hash)
	if i > j {
		i, j = j, i
	}
	m.shards[i].mu.Lock()
	defer m.shards[i].mu.Unlock()
	if j != i {
		m.shards[j].mu.Lock()
		defer m.shards[j].mu.Unlock()
	}
	ps, ns := &m.shards[shardOf(prev)], &m.shards[shardOf(next.Hash)]
	p, ok := ps.accountLink[prev]
	switch {
	case !ok:
		return AccountLink{}, ErrNotFound
	case p.Replaced():
		return p, ErrSuperseded
	case p.Chain != next.Chain || !p.ChainStarted.Equal(next.ChainStarted):
		return AccountLink{}, fmt.Errorf("%w: the next link is not of the replaced link's chain", ErrInvalid)
	}
	if _, ok := ns.accountLink[next.Hash]; ok {
		return AccountLink{}, ErrExists
	}
	if ns.accountLink == nil {
		ns.accountLink = make(map[TokenHash]AccountLink)
		ns.windows = make(map[TokenHash]refreshWindow)
	}
	p.ReplacedAt = now
	ps.accountLink[prev] = p
	ns.accountLink[next.Hash] = next
	return p, nil
}

// AccountLink implements Store.
func (m *MemoryStore) AccountLink(ctx context.Context, h TokenHash) (AccountLink, error) {
	sh, err := m.shard(ctx, h)
	if err != nil {
		return AccountLink{}, err
	}
	defer sh.mu.Unlock()
	l, ok := sh.accountLink[h]
	if !ok {
		return AccountLink{}, ErrNotFound
	}
	return l, nil
}

// RedeemAccountLink implements Store.
func (m *MemoryStore) RedeemAccountLink(ctx context.Context, h TokenHash, now time.Time) (AccountLink, error) {
	sh, err := m.shard(ctx, h)
	if err != nil {
		return AccountLink{}, err
	}
	defer sh.mu.Unlock()
	l, ok := sh.accountLink[h]
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
	sh.accountLink[h] = l
	return l, nil
}

// MarkAccountLinkReturned implements Store.
func (m *MemoryStore) MarkAccountLinkReturned(ctx context.Context, h TokenHash, now time.Time) (AccountLink, error) {
	sh, err := m.shard(ctx, h)
	if err != nil {
		return AccountLink{}, err
	}
	defer sh.mu.Unlock()
	l, ok := sh.accountLink[h]
	switch {
	case !ok:
		return AccountLink{}, ErrNotFound
	case !l.Used():
		return l, ErrNotRedeemed
	}
	if l.ReturnedAt.IsZero() {
		l.ReturnedAt = now
		sh.accountLink[h] = l
	}
	return l, nil
}

// TakeRefresh implements Store.
func (m *MemoryStore) TakeRefresh(ctx context.Context, chain TokenHash, now time.Time, window time.Duration, limit int) (int, error) {
	sh, err := m.shard(ctx, chain)
	if err != nil {
		return 0, err
	}
	defer sh.mu.Unlock()
	w, ok := sh.windows[chain]
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
	sh.windows[chain] = w
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
