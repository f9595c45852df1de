package links

import (
	"context"
	"fmt"
	"slices"
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

	mu        sync.Mutex       // guards the remediation maps
	remByID   map[LinkID]int32 // index into remLinks
	remLinks  remArena
	remFree   []int32 // indices of remLinks no link holds
	remByAcct map[account.ID]LinkID
	remTokens map[TokenHash]LinkID
}

// remEntry is a stored remediation link with its token hashes.
type remEntry struct {
	link   RemediationLink
	hashes hashList
}

// hashList is a remediation link's token hashes, oldest first. The first
// is held inline, so that a link with one token (the common case: one
// generation, one export row) costs no allocation.
type hashList struct {
	n   int
	one [1]TokenHash // the only hash, when n is 1
	all []TokenHash  // every hash, when n is 2 or more
}

// list returns the hashes; it allocates nothing.
func (l *hashList) list() []TokenHash {
	switch l.n {
	case 0:
		return nil
	case 1:
		return l.one[:]
	}
	return l.all
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
		m.remByID = make(map[LinkID]int32)
		m.remByAcct = make(map[account.ID]LinkID)
		m.remTokens = make(map[TokenHash]LinkID)
	}
}

// remArena holds the remediation links in chunks of remChunk, indexed by
// remByID: a RemediationLink is too large for a map to hold inline (a map
// would allocate one cell per link), and chunks never move, so growing
// copies nothing.
type remArena struct {
	chunks [][]remEntry
	n      int32
}

const remChunk = 1024

func (a *remArena) at(i int32) *remEntry { return &a.chunks[i/remChunk][i%remChunk] }

// add appends e and returns its index.
func (a *remArena) add(e remEntry) int32 {
	if int(a.n/remChunk) == len(a.chunks) {
		a.chunks = append(a.chunks, make([]remEntry, remChunk))
	}
	i := a.n
	*a.at(i) = e
	a.n++
	return i
}

// entry returns the stored entry of link id, or nil.
func (m *MemoryStore) entry(id LinkID) *remEntry {
	i, ok := m.remByID[id]
	if !ok {
		return nil
	}
	return m.remLinks.at(i)
}

// rem returns the remediation link id.
func (m *MemoryStore) rem(id LinkID) (RemediationLink, bool) {
	if e := m.entry(id); e != nil {
		return e.link, true
	}
	return RemediationLink{}, false
}

// setRem stores l, a new version of a stored link (its hashes kept) or a
// new link with the one hash h.
func (m *MemoryStore) setRem(l RemediationLink, h TokenHash) {
	if e := m.entry(l.ID); e != nil {
		e.link = l
		return
	}
	e := remEntry{link: l, hashes: hashList{n: 1, one: [1]TokenHash{h}}}
	var i int32
	if n := len(m.remFree); n > 0 {
		i, m.remFree = m.remFree[n-1], m.remFree[:n-1]
		*m.remLinks.at(i) = e
	} else {
		i = m.remLinks.add(e)
	}
	m.remByID[l.ID] = i
}

// deleteRem forgets the remediation link id and its tokens.
func (m *MemoryStore) deleteRem(id LinkID) {
	if i, ok := m.remByID[id]; ok {
		e := m.remLinks.at(i)
		for _, h := range e.hashes.list() {
			delete(m.remTokens, h)
		}
		*e = remEntry{}
		m.remFree = append(m.remFree, i)
		delete(m.remByID, id)
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
		if cur, _ := m.rem(id); cur.Active(now) {
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
		m.deleteRem(old)
	}
	l.Version = 1
	m.setRem(l, h)
	m.remByAcct[l.Account] = l.ID
	m.remTokens[h] = l.ID
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
	e := m.entry(id)
	switch {
	case e == nil:
		return ErrNotFound
	case !e.link.Active(now):
		return ErrExpired
	}
	if _, ok := m.remTokens[h]; ok {
		return ErrExists
	}
	m.remTokens[h] = id
	hs := append(slices.Clip(e.hashes.list()), h)
	if n := len(hs) - MaxRemediationTokens; n > 0 {
		for _, old := range hs[:n] {
			delete(m.remTokens, old)
		}
		hs = append([]TokenHash(nil), hs[n:]...)
	}
	e.hashes = hashList{n: len(hs), all: hs}
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
	l, ok := m.rem(id)
	switch {
	case !ok:
		return RemediationLink{}, ErrNotFound
	case !l.Active(now):
		return l, ErrExpired
	}
	l.RevokedAt, l.LastChangedBy = now, by
	l.Version++
	e := m.entry(id)
	e.link = l
	for _, h := range e.hashes.list() {
		delete(m.remTokens, h)
	}
	e.hashes = hashList{}
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
	l, _ := m.rem(id)
	return l, nil
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
	l, ok := m.rem(id)
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
	l, _ := m.rem(id)
	return l, nil
}

// UpdateRemediationLink implements Store.
func (m *MemoryStore) UpdateRemediationLink(ctx context.Context, l RemediationLink) (RemediationLink, error) {
	if err := m.lock(ctx); err != nil {
		return RemediationLink{}, err
	}
	defer m.mu.Unlock()
	cur, ok := m.rem(l.ID)
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
	m.entry(l.ID).link = l
	return l, nil
}
