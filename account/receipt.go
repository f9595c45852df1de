package account

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/roles"
)

// ErrKeyReused: an idempotency key already recorded a funds move with
// other parameters (another operation, account, amount or currency), as
// Stripe answers an Idempotency-Key reused with different parameters.
// Nothing was moved. Use a fresh key for a new move. Kind AlreadyUsed.
var ErrKeyReused = errkind.New(errkind.AlreadyUsed, "account: idempotency key reused with different parameters")

// MaxKeyLen is the longest idempotency key, in bytes, as Stripe allows
// (255 characters).
const MaxKeyLen = 255

// Move is one funds move as a Store records it: the caller's idempotency
// key, the operation (OpSendFunds or OpPullFunds), the amount moved, where
// a send landed, when the move was made and by whom. The zero Move is
// invalid.
type Move struct {
	// Key is the caller's idempotency key: 1 to MaxKeyLen bytes of
	// printable ASCII, such as a UUID. A retried call with the same key
	// moves nothing twice.
	Key string
	// Op is OpSendFunds or OpPullFunds.
	Op Op
	// Money is the amount moved: positive, exact in its currency.
	Money Money
	// To is where a send landed (A7); ToBalance for a pull.
	To Destination
	// At is when the Service made the move (its clock's now); receipts
	// recorded before an instant can be pruned (Store.PruneReceipts).
	At time.Time
	// CreatedBy is the ID of the user who made the move (roles.User.ID):
	// the audit trail of funds moves. A retry with the same key keeps the
	// first caller's.
	CreatedBy string
}

// Validate reports whether m can be recorded: a valid key, a funds
// operation, a declared destination (ToBalance for a pull), an instant in
// years 1 to 9999, a CreatedBy that is a valid user ID (roles.User.Validate)
// and a valid, positive amount. The error matches ErrInvalid.
func (m Move) Validate() error {
	if !validKey(m.Key) {
		return &RuleError{Rule: "A7", Field: "Move.Key", Err: ErrInvalid}
	}
	if m.Op != OpSendFunds && m.Op != OpPullFunds {
		return &RuleError{Rule: "A7", Field: "Move.Op", Err: ErrInvalid}
	}
	if !m.To.Valid() || m.Op == OpPullFunds && m.To != ToBalance {
		return &RuleError{Rule: "A7", Field: "Move.To", Err: ErrInvalid}
	}
	if y := m.At.Year(); y < 1 || y > 9999 {
		// Every Store keeps the instant (PostgreSQL's timestamptz
		// stops at year 294276; JSON's RFC 3339 at 9999).
		return &RuleError{Rule: "A7", Field: "Move.At", Err: ErrInvalid}
	}
	if (roles.User{ID: m.CreatedBy}).Validate() != nil {
		return &RuleError{Rule: "A7", Field: "Move.CreatedBy", Err: ErrInvalid}
	}
	if err := m.Money.Validate(); err != nil {
		return err
	}
	if m.Money.Amount.Sign() <= 0 {
		return &RuleError{Rule: "A7", Field: "Money.Amount", Err: ErrInvalid}
	}
	return nil
}

// moveFields is Move without its methods, for its JSON form.
type moveFields Move

// UnmarshalJSON decodes a Move as encoding/json writes it and refuses, with
// an error matching ErrInvalid, one that Validate refuses (an amount out
// of bounds among them, found before any arithmetic): what a Store would
// not record does not decode. m is unchanged on error.
func (m *Move) UnmarshalJSON(b []byte) error {
	var in moveFields
	if err := json.Unmarshal(b, &in); err != nil {
		if errors.Is(err, ErrInvalid) {
			return err
		}
		return fmt.Errorf("%w: move: %v", ErrInvalid, err)
	}
	if err := Move(in).Validate(); err != nil {
		return err
	}
	*m = Move(in)
	return nil
}

// validKey reports whether k is 1 to MaxKeyLen bytes of printable ASCII.
func validKey(k string) bool { return len(k) <= MaxKeyLen && ID(k).Valid() }

// Receipt is what a Store keeps under a Move's key when it applies the
// move: the move and the platform and account exactly as the move left
// them (their versions included), so that a retry returns the first result.
//
// Retention: a Store keeps every receipt until Store.PruneReceipts deletes
// it. Stripe forgets an idempotency key 24 hours after its first use, so a
// platform that retries for at most a day prunes, say hourly, the receipts
// made before now minus ReceiptRetention; a retry with a pruned key is a new
// move.
//
// Its JSON form (encoding/json) is a view for logs: the Account in it is
// redacted (Account.MarshalJSON), so it does not decode back; a Store
// persists the account with MarshalStorage, as pgstore does. Decoding
// refuses an invalid move, platform or account with ErrInvalid.
type Receipt struct {
	Move     Move     // the move recorded under its key
	Platform Platform // the platform as the move left it
	Account  Account  // the account as the move left it
}

// Clone returns a deep copy of r.
func (r Receipt) Clone() Receipt {
	r.Platform = r.Platform.Clone()
	r.Account = r.Account.Clone()
	return r
}

// ReceiptRetention is how long Stripe keeps an idempotency key: 24 hours
// after its first use. Pruning receipts older than this keeps the same
// promise.
const ReceiptRetention = 24 * time.Hour

// matches reports whether r records the same move as mv (operation,
// amount, currency, destination; not the instant) from or to the account
// id. mv's amount is compared only when it is within bounds, so no
// caller's amount can make the comparison slow.
func (r Receipt) matches(mv Move, id ID) bool {
	m := mv.Money
	return r.Move.Op == mv.Op && r.Account.ID == id && r.Move.Money.Currency == m.Currency &&
		r.Move.To == mv.To && bounded(m.Amount) && r.Move.Money.Amount.Equal(m.Amount)
}

func keyReused(key string) error {
	return fmt.Errorf("%w: key %q", ErrKeyReused, key)
}
