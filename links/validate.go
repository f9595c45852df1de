package links

import (
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/connectkit/connectkit/account"
)

// MaxIDLen is the longest ID accepted, in bytes: an account ID, a
// remediation link ID or a user ID. Stripe's IDs are a few dozen bytes; the
// bound keeps every ID an index key in any database.
const MaxIDLen = 255

// MaxCounter bounds the counters of a RemediationLink (failures, resets,
// …): the range of a 32-bit integer column, far beyond any real count.
const MaxCounter = math.MaxInt32

// checkText reports whether s can be stored faithfully by every Store:
// valid UTF-8, no NUL (PostgreSQL's text cannot hold one) and at most max
// bytes.
func checkText(s string, max int) bool {
	if len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return false
		}
	}
	return true
}

// invalid returns an error matching ErrInvalid about what. It never
// repeats the value, which may be long or binary.
func invalid(what string) error {
	return fmt.Errorf("%w: %s is not valid UTF-8 text without NUL within its length bound", ErrInvalid, what)
}

// validID returns nil when id is a non-empty ID every Store keeps
// faithfully, otherwise an error matching ErrInvalid.
func validID(what, id string) error {
	if id == "" {
		return fmt.Errorf("%w: %s is empty", ErrInvalid, what)
	}
	if !checkText(id, MaxIDLen) {
		return invalid(what)
	}
	return nil
}

// validUser checks a user ID, which may be empty (an unnamed actor).
func validUser(what, id string) error {
	if !checkText(id, MaxIDLen) {
		return invalid(what)
	}
	return nil
}

// ValidateAccountID returns nil when id is an account ID every Store keeps
// faithfully (non-empty, valid UTF-8, no NUL, at most MaxIDLen bytes),
// otherwise an error matching ErrInvalid.
func ValidateAccountID(id account.ID) error { return validID("account id", string(id)) }

// ValidateLinkID is ValidateAccountID for a remediation link ID.
func ValidateLinkID(id LinkID) error { return validID("remediation link id", string(id)) }

// Validate returns nil when l is a record every Store can keep and read
// back unchanged, otherwise an error matching ErrInvalid: non-zero
// Hash and Chain; a valid account ID; a known type and collection options;
// refresh and return URLs that CheckURL accepts in test mode; non-zero
// Created, ExpiresAt and ChainStarted. Stores call it before writing.
func (l AccountLink) Validate() error {
	switch {
	case l.Hash.IsZero() || l.Chain.IsZero():
		return fmt.Errorf("%w: account link without a token hash or chain", ErrInvalid)
	case !l.Params.Type.Valid():
		return fmt.Errorf("%w: account link type", ErrInvalid)
	case CheckURL(l.Params.RefreshURL, false) != 0:
		return fmt.Errorf("%w: account link refresh url", ErrInvalid)
	case CheckURL(l.Params.ReturnURL, false) != 0:
		return fmt.Errorf("%w: account link return url", ErrInvalid)
	case l.Params.Collection.Validate() != nil:
		return fmt.Errorf("%w: account link collection options", ErrInvalid)
	case l.Created.IsZero() || l.ExpiresAt.IsZero() || l.ChainStarted.IsZero():
		return fmt.Errorf("%w: account link without its times", ErrInvalid)
	}
	if err := validUser("created by", l.CreatedBy); err != nil {
		return err
	}
	return ValidateAccountID(l.Account)
}

// Validate returns nil when l is a record every Store can keep and read
// back unchanged, otherwise an error matching ErrInvalid: a valid ID
// and account ID; CreatedBy and LastChangedBy valid text of at most
// MaxIDLen bytes; Pending zero or a declared FailureReason; every
// counter in [0, MaxCounter]; non-zero Created and ExpiresAt. Stores call
// it before every write, so that nothing is committed that cannot be read
// back.
func (l RemediationLink) Validate() error {
	if err := ValidateLinkID(l.ID); err != nil {
		return err
	}
	if err := ValidateAccountID(l.Account); err != nil {
		return err
	}
	if err := validUser("created by", l.CreatedBy); err != nil {
		return err
	}
	if err := validUser("last changed by", l.LastChangedBy); err != nil {
		return err
	}
	if l.Pending != 0 && !l.Pending.Valid() {
		return fmt.Errorf("%w: pending failure reason %d", ErrInvalid, uint8(l.Pending))
	}
	for _, c := range [...]int{l.Failures, l.WrongInformation, l.Resets, l.Acknowledgements, l.ResetCredits} {
		if c < 0 || c > MaxCounter {
			return fmt.Errorf("%w: remediation link counter %d out of range", ErrInvalid, c)
		}
	}
	if l.Created.IsZero() || l.ExpiresAt.IsZero() {
		return fmt.Errorf("%w: remediation link without its times", ErrInvalid)
	}
	return nil
}
