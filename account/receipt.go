package account

import (
	"errors"
	"fmt"
)

// ErrKeyReused: an idempotency key already recorded a funds move with
// other parameters (another operation, account, amount or currency), as
// Stripe answers an Idempotency-Key reused with different parameters.
// Nothing was moved. Use a fresh key for a new move.
var ErrKeyReused = errors.New("account: idempotency key reused with different parameters")

// MaxKeyLen is the longest idempotency key, in bytes, as Stripe allows
// (255 characters).
const MaxKeyLen = 255

// Move is one funds move as a Store records it: the caller's idempotency
// key, the operation (OpSendFunds or OpPullFunds) and the amount moved.
// The zero Move is invalid.
type Move struct {
	// Key is the caller's idempotency key: 1 to MaxKeyLen bytes of
	// printable ASCII, such as a UUID. A retried call with the same key
	// moves nothing twice.
	Key   string
	Op    Op
	Money Money
}

// Validate reports whether m can be recorded: a valid key, a funds
// operation, and a valid, positive amount. The error matches ErrInvalid.
func (m Move) Validate() error {
	if !validKey(m.Key) {
		return &RuleError{Rule: "A7", Field: "Move.Key", Err: ErrInvalid}
	}
	if m.Op != OpSendFunds && m.Op != OpPullFunds {
		return &RuleError{Rule: "A7", Field: "Move.Op", Err: ErrInvalid}
	}
	if err := m.Money.Validate(); err != nil {
		return err
	}
	if m.Money.Amount.Sign() <= 0 {
		return &RuleError{Rule: "A7", Field: "Money.Amount", Err: ErrInvalid}
	}
	return nil
}

// validKey reports whether k is 1 to MaxKeyLen bytes of printable ASCII.
func validKey(k string) bool { return len(k) <= MaxKeyLen && ID(k).Valid() }

// Receipt is what a Store keeps under a Move's key when it applies the
// move: the move and the platform and account exactly as the move left
// them (their versions included), so that a retry returns the first result.
// Receipts are kept as long as the Store keeps them; pruning old ones (as
// Stripe forgets keys after 24 hours) is the adapter's choice.
type Receipt struct {
	Move     Move
	Platform Platform
	Account  Account
}

// Clone returns a deep copy of r.
func (r Receipt) Clone() Receipt {
	r.Platform = r.Platform.Clone()
	r.Account = r.Account.Clone()
	return r
}

// matches reports whether r records the move op of m from or to the
// account id. m.Amount is compared only when it is within bounds, so no
// caller's amount can make the comparison slow.
func (r Receipt) matches(op Op, id ID, m Money) bool {
	return r.Move.Op == op && r.Account.ID == id && r.Move.Money.Currency == m.Currency &&
		bounded(m.Amount) && r.Move.Money.Amount.Equal(m.Amount)
}

func keyReused(key string) error {
	return fmt.Errorf("%w: key %q", ErrKeyReused, key)
}
