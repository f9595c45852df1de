package roles

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/connectkit/connectkit/errkind"
)

// ErrInvalidUser is matched by the error User.Validate returns.
var ErrInvalidUser = errkind.New(errkind.InvalidInput, "roles: invalid user")

// MaxUserIDLen is the longest user ID, in bytes, that Validate accepts.
const MaxUserIDLen = 255

// User is who asks for an action: an ID the platform knows them by, kept
// on what they create for the audit trail, and the Dashboard roles they
// hold. The zero User has no ID and no role: every check denies it.
type User struct {
	// ID identifies the user to the platform, such as a Dashboard user or
	// an employee ID. It is recorded, never interpreted.
	ID string `json:"id"`
	// Roles are the roles the user holds.
	Roles Set `json:"roles"`
}

// Validate reports whether u can be recorded: an ID of 1 to MaxUserIDLen
// bytes of valid UTF-8 with no control characters (so it is safe in logs
// and every database). The error matches ErrInvalidUser.
func (u User) Validate() error {
	switch {
	case u.ID == "":
		return fmt.Errorf("%w: empty id", ErrInvalidUser)
	case len(u.ID) > MaxUserIDLen:
		return fmt.Errorf("%w: id of %d bytes, more than %d", ErrInvalidUser, len(u.ID), MaxUserIDLen)
	case !utf8.ValidString(u.ID):
		return fmt.Errorf("%w: id is not valid UTF-8", ErrInvalidUser)
	}
	for _, r := range u.ID {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: id holds control character %U", ErrInvalidUser, r)
		}
	}
	return nil
}

// CheckUser is shorthand for p.Check(u.Roles, a).
func (p Policy) CheckUser(u User, a Action) Decision { return p.Check(u.Roles, a) }
