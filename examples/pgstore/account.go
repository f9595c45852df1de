package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/connectkit/connectkit/account"
)

// AccountStore is an account.Store on PostgreSQL: the tables accounts and
// platform of migrations/0001_accounts.sql. Each account (and the platform)
// is one row holding its version and its body as a JSON document.
//
// Get, Create and Update are one statement each; Update's version check is
// in its WHERE clause. Transfer is the one transaction: two conditional
// UPDATEs that commit together or not at all, as the contract says.
//
// An AccountStore is safe for concurrent use, and so are several of them,
// in several processes, over one database. The zero value is not usable;
// call NewAccountStore.
type AccountStore struct {
	db *pgxpool.Pool
}

var _ account.Store = (*AccountStore)(nil)

// NewAccountStore returns an AccountStore over db. The tables must exist:
// run Migrate first.
func NewAccountStore(db *pgxpool.Pool) *AccountStore { return &AccountStore{db: db} }

// The statements, one per method. $1 is the key throughout.
const (
	sqlGetAccount = `SELECT version, body FROM accounts WHERE id = $1`

	sqlCreateAccount = `INSERT INTO accounts (id, version, body) VALUES ($1, 1, $2)
		ON CONFLICT (id) DO NOTHING`

	// sqlUpdateAccount writes only at the expected version. In the same
	// statement it reports whether the row exists, so that a refused write
	// tells ErrNotFound from ErrConflict without a second round trip; the
	// existence probe runs only when the UPDATE wrote nothing. (If
	// the row exists but the UPDATE found another version, even one that
	// a concurrent writer committed after this statement's snapshot, the
	// answer is ErrConflict: someone else wrote first.)
	//
	// Stripe events (package events, issue 14) need nothing more: an
	// event's ordering guard is account.Marks, which lives in body, so
	// this one statement at the version read is the conditional write per
	// event — the documented equivalent of a mark comparison in the
	// WHERE: a newer mark written meanwhile bumped the version, and the
	// loser re-reads and judges again (accounttest's Race/SameEventAppliesOnce
	// and Race/NewerEventWins).
	sqlUpdateAccount = `WITH upd AS (
			UPDATE accounts SET version = version + 1, body = $3
			WHERE id = $1 AND version = $2
			RETURNING version)
		SELECT v, CASE WHEN v IS NULL THEN EXISTS (SELECT 1 FROM accounts WHERE id = $1) ELSE true END
		FROM (SELECT (SELECT version FROM upd) AS v) AS u`

	sqlGetPlatform = `SELECT version, body FROM platform WHERE singleton`

	sqlGetReceipt = `SELECT body FROM receipts WHERE key = $1`

	// sqlInsertReceipt records a move's key first in Transfer's
	// transaction: a concurrent Transfer with the same key waits on the
	// unique index until this one commits or rolls back, then inserts
	// nothing, and its transaction rolls back with ErrExists.
	sqlInsertReceipt = `INSERT INTO receipts (key, body, at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`

	// sqlPruneReceipts deletes the receipts of moves made before $1.
	sqlPruneReceipts = `DELETE FROM receipts WHERE at < $1`

	sqlCreatePlatform = `INSERT INTO platform (singleton, version, body) VALUES (true, 1, $1)
		ON CONFLICT (singleton) DO NOTHING`

	sqlUpdatePlatform = `WITH upd AS (
			UPDATE platform SET version = version + 1, body = $2
			WHERE singleton AND version = $1
			RETURNING version)
		SELECT (SELECT version FROM upd), EXISTS (SELECT 1 FROM platform WHERE singleton)`
)

// Get implements account.Store.
func (s *AccountStore) Get(ctx context.Context, id account.ID) (account.Account, error) {
	if err := ctx.Err(); err != nil {
		return account.Account{}, err
	}
	var (
		version int64
		body    []byte
	)
	if !id.Valid() {
		// NUL or invalid UTF-8 would be a raw driver error (22021).
		return account.Account{}, fmt.Errorf("pgstore: get account: %w", &account.RuleError{Rule: "A1", Field: "ID", Err: account.ErrInvalid})
	}
	err := s.db.QueryRow(ctx, sqlGetAccount, string(id)).Scan(&version, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		// Only an answered query with no row is "not found".
		return account.Account{}, fmt.Errorf("%w: account %q", account.ErrNotFound, id)
	}
	if err != nil {
		return account.Account{}, dbErr(ctx, "get account", err)
	}
	return decodeAccount(body, version)
}

// Create implements account.Store.
func (s *AccountStore) Create(ctx context.Context, a account.Account) (account.Account, error) {
	if err := ctx.Err(); err != nil {
		return account.Account{}, err
	}
	body, err := encodeAccount(a)
	if err != nil {
		return account.Account{}, err
	}
	tag, err := s.db.Exec(ctx, sqlCreateAccount, string(a.ID), body)
	if err != nil {
		return account.Account{}, dbErr(ctx, "create account", err)
	}
	if tag.RowsAffected() == 0 {
		return account.Account{}, fmt.Errorf("%w: account %q", account.ErrExists, a.ID)
	}
	return stored(a, 1), nil
}

// Update implements account.Store.
func (s *AccountStore) Update(ctx context.Context, a account.Account, expected uint64) (account.Account, error) {
	if err := ctx.Err(); err != nil {
		return account.Account{}, err
	}
	body, err := encodeAccount(a)
	if err != nil {
		return account.Account{}, err
	}
	var (
		version *int64
		exists  bool
	)
	err = s.db.QueryRow(ctx, sqlUpdateAccount, string(a.ID), sqlVersion(expected), body).Scan(&version, &exists)
	if err != nil {
		return account.Account{}, dbErr(ctx, "update account", err)
	}
	if err := versionErr(version, exists, expected, account.ErrNotFound, fmt.Sprintf("account %q", a.ID)); err != nil {
		return account.Account{}, err
	}
	return stored(a, *version), nil
}

// GetPlatform implements account.Store.
func (s *AccountStore) GetPlatform(ctx context.Context) (account.Platform, error) {
	if err := ctx.Err(); err != nil {
		return account.Platform{}, err
	}
	var (
		version int64
		body    []byte
	)
	err := s.db.QueryRow(ctx, sqlGetPlatform).Scan(&version, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		return account.Platform{}, fmt.Errorf("%w: platform", account.ErrNotFound)
	}
	if err != nil {
		return account.Platform{}, dbErr(ctx, "get platform", err)
	}
	return decodePlatform(body, version)
}

// CreatePlatform implements account.Store.
func (s *AccountStore) CreatePlatform(ctx context.Context, p account.Platform) (account.Platform, error) {
	if err := ctx.Err(); err != nil {
		return account.Platform{}, err
	}
	body, err := encodePlatform(p)
	if err != nil {
		return account.Platform{}, err
	}
	tag, err := s.db.Exec(ctx, sqlCreatePlatform, body)
	if err != nil {
		return account.Platform{}, dbErr(ctx, "create platform", err)
	}
	if tag.RowsAffected() == 0 {
		return account.Platform{}, fmt.Errorf("%w: platform", account.ErrExists)
	}
	return decodePlatform(body, 1)
}

// UpdatePlatform implements account.Store.
func (s *AccountStore) UpdatePlatform(ctx context.Context, p account.Platform, expected uint64) (account.Platform, error) {
	if err := ctx.Err(); err != nil {
		return account.Platform{}, err
	}
	body, err := encodePlatform(p)
	if err != nil {
		return account.Platform{}, err
	}
	var (
		version *int64
		exists  bool
	)
	if err := s.db.QueryRow(ctx, sqlUpdatePlatform, sqlVersion(expected), body).Scan(&version, &exists); err != nil {
		return account.Platform{}, dbErr(ctx, "update platform", err)
	}
	if err := versionErr(version, exists, expected, account.ErrNotFound, "platform"); err != nil {
		return account.Platform{}, err
	}
	return decodePlatform(body, *version)
}

// Transfer implements account.Store: in one transaction, the receipt's
// conditional INSERT under mv.Key, then the platform's conditional UPDATE,
// then the account's. If the key is recorded (ErrExists) or either UPDATE
// finds no row at its expected version the transaction rolls back and
// nothing is written.
// Every Transfer locks the platform row before the account row, so
// concurrent transfers cannot deadlock.
func (s *AccountStore) Transfer(ctx context.Context, p account.Platform, platformVersion uint64, a account.Account, accountVersion uint64, mv account.Move) (account.Platform, account.Account, error) {
	if err := ctx.Err(); err != nil {
		return account.Platform{}, account.Account{}, err
	}
	if err := mv.Validate(); err != nil {
		return account.Platform{}, account.Account{}, fmt.Errorf("pgstore: %w", err)
	}
	pbody, err := encodePlatform(p)
	if err != nil {
		return account.Platform{}, account.Account{}, err
	}
	abody, err := encodeAccount(a)
	if err != nil {
		return account.Platform{}, account.Account{}, err
	}
	// The receipt holds the platform and account as the UPDATEs below
	// leave them: at the expected versions plus one, or not at all.
	p.Version, a.Version = platformVersion+1, accountVersion+1
	rbody, err := encodeReceipt(account.Receipt{Move: mv, Platform: p, Account: a})
	if err != nil {
		return account.Platform{}, account.Account{}, err
	}
	var pv, av int64
	// refused carries a sentinel error out of the transaction, which then
	// rolls back.
	var refused error
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var (
			version *int64
			exists  bool
		)
		tag, err := tx.Exec(ctx, sqlInsertReceipt, mv.Key, rbody, mv.At)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			refused = fmt.Errorf("%w: receipt %q", account.ErrExists, mv.Key)
			return refused
		}
		if err := tx.QueryRow(ctx, sqlUpdatePlatform, sqlVersion(platformVersion), pbody).Scan(&version, &exists); err != nil {
			return err
		}
		if refused = versionErr(version, exists, platformVersion, account.ErrNotFound, "platform"); refused != nil {
			return refused
		}
		pv = *version
		if err := tx.QueryRow(ctx, sqlUpdateAccount, string(a.ID), sqlVersion(accountVersion), abody).Scan(&version, &exists); err != nil {
			return err
		}
		if refused = versionErr(version, exists, accountVersion, account.ErrNotFound, fmt.Sprintf("account %q", a.ID)); refused != nil {
			return refused
		}
		av = *version
		return nil
	})
	if refused != nil {
		return account.Platform{}, account.Account{}, refused
	}
	if err != nil {
		return account.Platform{}, account.Account{}, dbErr(ctx, "transfer", err)
	}
	gotP, err := decodePlatform(pbody, pv)
	if err != nil {
		return account.Platform{}, account.Account{}, err
	}
	gotA, err := decodeAccount(abody, av)
	if err != nil {
		return account.Platform{}, account.Account{}, err
	}
	return gotP, gotA, nil
}

// GetReceipt implements account.Store.
func (s *AccountStore) GetReceipt(ctx context.Context, key string) (account.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return account.Receipt{}, err
	}
	if err := (account.Move{Key: key, Op: account.OpSendFunds, Money: account.Money{Amount: decimal.NewFromInt(1), Currency: "usd"}, CreatedBy: "key_check"}).Validate(); err != nil {
		return account.Receipt{}, fmt.Errorf("pgstore: get receipt: %w", err)
	}
	var body []byte
	err := s.db.QueryRow(ctx, sqlGetReceipt, key).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return account.Receipt{}, fmt.Errorf("%w: receipt %q", account.ErrNotFound, key)
	}
	if err != nil {
		return account.Receipt{}, dbErr(ctx, "get receipt", err)
	}
	return decodeReceipt(body)
}

// receiptBody is a receipt's JSON body. The amount is a decimal string
// (Balances encodes its own; a bare decimal.Decimal would read the decimal
// package's globals) and the platform and account are their own bodies,
// with their versions beside them.
type receiptBody struct {
	Key             string          `json:"key"`
	Op              string          `json:"op"`
	Amount          string          `json:"amount"`
	Currency        string          `json:"currency"`
	To              string          `json:"to,omitempty"`
	At              time.Time       `json:"at"`
	Platform        json.RawMessage `json:"platform"`
	PlatformVersion uint64          `json:"platform_version"`
	Account         json.RawMessage `json:"account"`
	AccountVersion  uint64          `json:"account_version"`
	// CreatedBy is the user who made the move (account.Move.CreatedBy);
	// absent from receipts recorded before it was kept.
	CreatedBy string `json:"created_by,omitempty"`
}

func encodeReceipt(r account.Receipt) ([]byte, error) {
	pb, err := encodePlatform(r.Platform)
	if err != nil {
		return nil, err
	}
	ab, err := encodeAccount(r.Account)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(receiptBody{Key: r.Move.Key, Op: r.Move.Op.String(), Amount: r.Move.Money.Amount.String(),
		Currency: r.Move.Money.Currency, To: r.Move.To.String(), At: r.Move.At, Platform: pb, PlatformVersion: r.Platform.Version, Account: ab, AccountVersion: r.Account.Version,
		CreatedBy: r.Move.CreatedBy})
	if err != nil {
		return nil, fmt.Errorf("pgstore: encode receipt: %w", err)
	}
	return b, nil
}

func decodeReceipt(body []byte) (account.Receipt, error) {
	var rb receiptBody
	if err := json.Unmarshal(body, &rb); err != nil {
		return account.Receipt{}, fmt.Errorf("pgstore: decode receipt: %w", err)
	}
	m, err := account.ParseMoney(rb.Amount, rb.Currency)
	if err != nil {
		return account.Receipt{}, fmt.Errorf("pgstore: decode receipt: %w", err)
	}
	op := account.OpSendFunds
	if rb.Op == account.OpPullFunds.String() {
		op = account.OpPullFunds
	} else if rb.Op != op.String() {
		return account.Receipt{}, fmt.Errorf("pgstore: decode receipt: unknown op %q", rb.Op)
	}
	p, err := decodePlatform(rb.Platform, int64(rb.PlatformVersion))
	if err != nil {
		return account.Receipt{}, err
	}
	a, err := decodeAccount(rb.Account, int64(rb.AccountVersion))
	if err != nil {
		return account.Receipt{}, err
	}
	var to account.Destination
	if rb.To != "" {
		if err := to.UnmarshalText([]byte(rb.To)); err != nil {
			return account.Receipt{}, fmt.Errorf("pgstore: decode receipt: %w", err)
		}
	}
	return account.Receipt{Move: account.Move{Key: rb.Key, Op: op, Money: m, To: to, At: rb.At, CreatedBy: rb.CreatedBy}, Platform: p, Account: a}, nil
}

// PruneReceipts implements account.Store: one DELETE of the receipts whose
// move was made strictly before before.
func (s *AccountStore) PruneReceipts(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	tag, err := s.db.Exec(ctx, sqlPruneReceipts, before)
	if err != nil {
		return 0, dbErr(ctx, "prune receipts", err)
	}
	return int(tag.RowsAffected()), nil
}

// versionErr interprets a conditional UPDATE: version is the new version
// (nil when nothing was written) and exists whether the row is there.
func versionErr(version *int64, exists bool, expected uint64, notFound error, what string) error {
	switch {
	case version != nil:
		return nil
	case !exists:
		return fmt.Errorf("%w: %s", notFound, what)
	default:
		return fmt.Errorf("%w: %s is not at version %d", account.ErrConflict, what, expected)
	}
}

// encodeAccount returns a's body: the account's storage form
// (account.MarshalStorage, the one encoding that carries its email and
// representative), or an error matching account.ErrInvalid when a is not
// Valid. Its Requirements go through requirements.Set's lossless JSON
// encoding, so everything the set holds (information requests, the
// capabilities each entry affects, every requested reason) is stored. The
// version lives in its own column, so the body carries none.
func encodeAccount(a account.Account) ([]byte, error) {
	// MarshalStorage validates first: PostgreSQL refuses NUL in text and
	// jsonb (22021, 22P05), encoding/json rewrites invalid UTF-8, and an
	// out-of-bounds amount must not be formatted. Every Store refuses the
	// same inputs with account.ErrInvalid.
	a.Version = 0
	b, err := account.MarshalStorage(a)
	if err != nil {
		return nil, fmt.Errorf("pgstore: encode account %q: %w", a.ID, err)
	}
	return b, nil
}

// stored returns the account a write stored as a's body at version: a
// itself, which encodeAccount has validated and encoded, as a deep copy
// (Account.Clone, as the in-memory store returns), so that it shares
// nothing with the caller. Decoding the body just written would build the
// same account again at the cost of a JSON decode and a second Validate.
func stored(a account.Account, version int64) account.Account {
	a = a.Clone()
	a.Version = uint64(version)
	return a
}

// decodeAccount builds the account stored as body at version
// (account.UnmarshalStorage). Decoding builds fresh maps and slices, so the
// result shares nothing with the caller. A body edited into an invalid
// account (a negative balance, an invalid requirements set, …) is an error
// matching account.ErrInvalid, never a broken Account.
func decodeAccount(body []byte, version int64) (account.Account, error) {
	a, err := account.UnmarshalStorage(body)
	if err != nil {
		return account.Account{}, fmt.Errorf("pgstore: decode account: %w", err)
	}
	a.Version = uint64(version)
	return a, nil
}

func encodePlatform(p account.Platform) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	p.Version = 0
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("pgstore: encode platform: %w", err)
	}
	return b, nil
}

func decodePlatform(body []byte, version int64) (account.Platform, error) {
	var p account.Platform
	if err := json.Unmarshal(body, &p); err != nil {
		return account.Platform{}, fmt.Errorf("pgstore: decode platform: %w", err)
	}
	p.Version = uint64(version)
	return p, nil
}
