package account

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Store keeps one platform's connected accounts and the platform's own
// settings. Every write is conditional, so that replicas sharing a Store
// cannot overwrite each other's changes: the caller passes the version it
// read, and a write against any other version fails with ErrConflict and
// changes nothing. A multi-tenant adapter scopes each Store value to one
// platform (a platform_id column in every statement below).
//
// Contract, shown as the SQL each method maps to (tables accounts(id
// primary key, version, …) and platform(singleton, version, …)):
//
//   - Get(ctx, id): SELECT … FROM accounts WHERE id = $1. Returns a copy
//     of the stored account, or an error matching ErrNotFound.
//   - Create(ctx, a): INSERT INTO accounts … VALUES (…, version = 1)
//     ON CONFLICT (id) DO NOTHING. Stores a with Version 1 and returns
//     the stored copy; an account already stored under a.ID is an error
//     matching ErrExists and is left as it was. a.Version is ignored.
//   - Update(ctx, a, expected): UPDATE accounts SET …, version =
//     version+1 WHERE id = $1 AND version = $2. Replaces the account stored
//     under a.ID with a, with Version expected+1, and returns the stored
//     copy. No row under a.ID is ErrNotFound; a row with another version
//     is ErrConflict; in both cases nothing is written. a.Version is
//     ignored. (An adapter tells the two apart by the affected-row count
//     and, on zero, one SELECT.)
//   - GetPlatform, CreatePlatform, UpdatePlatform: the same three clauses
//     for the platform's settings, stored once per Store.
//   - Transfer(ctx, p, pv, a, av, mv): BEGIN; INSERT INTO receipts (key,
//     …) VALUES (mv.Key, …) ON CONFLICT (key) DO NOTHING; UPDATE platform
//     … WHERE version = $pv; UPDATE accounts … WHERE id = $a AND version
//     = $av; COMMIT — or ROLLBACK and ErrExists when the key is already
//     recorded (checked first), ErrConflict (or ErrNotFound) when either
//     UPDATE affects no row. The receipt, the platform and the account are
//     all written, each version bumped, or none is. Funds moves (A7, A8)
//     use it so that money is neither created nor lost under concurrency,
//     and a retried move (same key) is never applied twice, whichever
//     replica retries it.
//   - GetReceipt(ctx, key): SELECT … FROM receipts WHERE key = $1. The
//     Receipt a Transfer recorded under key, or ErrNotFound.
//   - PruneReceipts(ctx, before): DELETE FROM receipts WHERE at < $1.
//     Deletes every receipt whose Move.At is strictly before before, and
//     returns how many it deleted; the accounts and the platform are not
//     touched. A key pruned is unknown again: a retry with it is a new
//     move. See Receipt for the retention Stripe keeps (24 hours).
//
// Input every Store refuses alike: an ID that is not ID.Valid (NUL,
// invalid UTF-8, spaces, more than MaxIDLen bytes) passed to any method,
// and an account or platform that fails Validate (text with NUL, invalid
// UTF-8 or past its bound; a balance out of bounds, inexact in its
// currency or negative) passed to any write, is an error matching
// ErrInvalid, returned before anything is sent, and nothing is written.
// No Store answers such input with a raw driver error.
//
// Errors and outcomes. Every method returns ctx.Err() (unwrapped) when the
// context is done before it acts, and then writes nothing. The documented
// sentinels (ErrNotFound, ErrExists, ErrConflict, ErrInvalid) mean the
// write was not applied. Any other error from a write — a context error
// once the statement was sent, a lost connection, "unexpected EOF", a
// server crash — leaves its outcome unknown: it may or may not have been
// applied, so the caller re-reads before retrying.
//
// Listing order: the Store has no listing method; Get, GetPlatform and
// GetReceipt each return at most one value.
// Times inside a stored value (such as Account.LastActivity) may be kept
// with microsecond precision, as PostgreSQL's timestamptz keeps them: a
// value read back may be truncated to the microsecond, and callers must not
// rely on nanoseconds. Returned values are copies: a
// caller changing them cannot change the store, and changing a value after
// passing it in cannot either. Store implementations must be safe for
// concurrent use. A Store does not enforce the operation rules (that is
// the Service's job): it stores removed accounts like any others.
type Store interface {
	// Get returns a copy of the account under id, or ErrNotFound.
	Get(ctx context.Context, id ID) (Account, error)
	// Create stores a at Version 1, or fails with ErrExists.
	Create(ctx context.Context, a Account) (Account, error)
	// Update replaces the account under a.ID if it is at version
	// expected, bumping the version; otherwise ErrConflict or ErrNotFound
	// and nothing is written.
	Update(ctx context.Context, a Account, expected uint64) (Account, error)
	// GetPlatform returns a copy of the platform, or ErrNotFound.
	GetPlatform(ctx context.Context) (Platform, error)
	// CreatePlatform stores p at Version 1, or fails with ErrExists.
	CreatePlatform(ctx context.Context, p Platform) (Platform, error)
	// UpdatePlatform replaces the platform if it is at version expected.
	UpdatePlatform(ctx context.Context, p Platform, expected uint64) (Platform, error)
	// Transfer writes the platform and the account together, each
	// against its expected version, and records mv with both under
	// mv.Key; or writes nothing (ErrExists when the key is recorded).
	Transfer(ctx context.Context, p Platform, platformVersion uint64, a Account, accountVersion uint64, mv Move) (Platform, Account, error)
	// GetReceipt returns a copy of the Receipt recorded under key, or
	// ErrNotFound.
	GetReceipt(ctx context.Context, key string) (Receipt, error)
	// PruneReceipts deletes the receipts of moves made strictly before
	// before, and returns how many it deleted.
	PruneReceipts(ctx context.Context, before time.Time) (int, error)
}

// MemoryStore is an in-memory Store, safe for concurrent use. Its zero value
// is an empty store ready to use; it must not be copied after first use.
// It returns and keeps deep copies (Clone) of everything.
type MemoryStore struct {
	mu       sync.Mutex
	accounts map[ID]Account
	platform *Platform
	receipts map[string]Receipt
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{} }

// Get implements Store.
func (s *MemoryStore) Get(ctx context.Context, id ID) (Account, error) {
	if err := ctx.Err(); err != nil {
		return Account{}, err
	}
	if !id.Valid() {
		return Account{}, invalidID()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[id]
	if !ok {
		return Account{}, fmt.Errorf("%w: account %q", ErrNotFound, id)
	}
	return a.Clone(), nil
}

// Create implements Store.
func (s *MemoryStore) Create(ctx context.Context, a Account) (Account, error) {
	if err := ctx.Err(); err != nil {
		return Account{}, err
	}
	if err := a.Validate(); err != nil {
		return Account{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.accounts[a.ID]; ok {
		return Account{}, fmt.Errorf("%w: account %q", ErrExists, a.ID)
	}
	if s.accounts == nil {
		s.accounts = make(map[ID]Account)
	}
	a = a.Clone()
	a.Version = 1
	s.accounts[a.ID] = a
	return a.Clone(), nil
}

// Update implements Store.
func (s *MemoryStore) Update(ctx context.Context, a Account, expected uint64) (Account, error) {
	if err := ctx.Err(); err != nil {
		return Account{}, err
	}
	if err := a.Validate(); err != nil {
		return Account{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkAccount(a.ID, expected); err != nil {
		return Account{}, err
	}
	a = a.Clone()
	a.Version = expected + 1
	s.accounts[a.ID] = a
	return a.Clone(), nil
}

// invalidID is the error every Store returns for an ID that is not Valid.
func invalidID() error { return &RuleError{Rule: "A1", Field: "ID", Err: ErrInvalid} }

func (s *MemoryStore) checkAccount(id ID, expected uint64) error {
	cur, ok := s.accounts[id]
	if !ok {
		return fmt.Errorf("%w: account %q", ErrNotFound, id)
	}
	if cur.Version != expected {
		return fmt.Errorf("%w: account %q is at version %d, not %d", ErrConflict, id, cur.Version, expected)
	}
	return nil
}

// GetPlatform implements Store.
func (s *MemoryStore) GetPlatform(ctx context.Context) (Platform, error) {
	if err := ctx.Err(); err != nil {
		return Platform{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.platform == nil {
		return Platform{}, fmt.Errorf("%w: platform", ErrNotFound)
	}
	return s.platform.Clone(), nil
}

// CreatePlatform implements Store.
func (s *MemoryStore) CreatePlatform(ctx context.Context, p Platform) (Platform, error) {
	if err := ctx.Err(); err != nil {
		return Platform{}, err
	}
	if err := p.Validate(); err != nil {
		return Platform{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.platform != nil {
		return Platform{}, fmt.Errorf("%w: platform", ErrExists)
	}
	p = p.Clone()
	p.Version = 1
	s.platform = &p
	return p.Clone(), nil
}

// UpdatePlatform implements Store.
func (s *MemoryStore) UpdatePlatform(ctx context.Context, p Platform, expected uint64) (Platform, error) {
	if err := ctx.Err(); err != nil {
		return Platform{}, err
	}
	if err := p.Validate(); err != nil {
		return Platform{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkPlatform(expected); err != nil {
		return Platform{}, err
	}
	p = p.Clone()
	p.Version = expected + 1
	s.platform = &p
	return p.Clone(), nil
}

func (s *MemoryStore) checkPlatform(expected uint64) error {
	if s.platform == nil {
		return fmt.Errorf("%w: platform", ErrNotFound)
	}
	if s.platform.Version != expected {
		return fmt.Errorf("%w: platform is at version %d, not %d", ErrConflict, s.platform.Version, expected)
	}
	return nil
}

// Transfer implements Store.
func (s *MemoryStore) Transfer(ctx context.Context, p Platform, platformVersion uint64, a Account, accountVersion uint64, mv Move) (Platform, Account, error) {
	if err := ctx.Err(); err != nil {
		return Platform{}, Account{}, err
	}
	if err := errors.Join(p.Validate(), a.Validate(), mv.Validate()); err != nil {
		return Platform{}, Account{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.receipts[mv.Key]; ok {
		return Platform{}, Account{}, fmt.Errorf("%w: receipt %q", ErrExists, mv.Key)
	}
	if err := s.checkPlatform(platformVersion); err != nil {
		return Platform{}, Account{}, err
	}
	if err := s.checkAccount(a.ID, accountVersion); err != nil {
		return Platform{}, Account{}, err
	}
	p = p.Clone()
	p.Version = platformVersion + 1
	s.platform = &p
	a = a.Clone()
	a.Version = accountVersion + 1
	s.accounts[a.ID] = a
	if s.receipts == nil {
		s.receipts = make(map[string]Receipt)
	}
	s.receipts[mv.Key] = Receipt{Move: mv, Platform: p.Clone(), Account: a.Clone()}
	return p.Clone(), a.Clone(), nil
}

// GetReceipt implements Store.
func (s *MemoryStore) GetReceipt(ctx context.Context, key string) (Receipt, error) {
	if err := ctx.Err(); err != nil {
		return Receipt{}, err
	}
	if !validKey(key) {
		return Receipt{}, &RuleError{Rule: "A7", Field: "Move.Key", Err: ErrInvalid}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.receipts[key]
	if !ok {
		return Receipt{}, fmt.Errorf("%w: receipt %q", ErrNotFound, key)
	}
	return r.Clone(), nil
}

// PruneReceipts implements Store.
func (s *MemoryStore) PruneReceipts(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, r := range s.receipts {
		if r.Move.At.Before(before) {
			delete(s.receipts, k)
			n++
		}
	}
	return n, nil
}
