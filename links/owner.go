package links

import "github.com/connectkit/connectkit/account"

// ownerConfirmed reports whether the account owner is set correctly (L6).
//
// Package account does not yet carry an owner-confirmation field, so every
// account passes and ReasonOwnerNotSet is never produced; when the field
// lands, this is the one line to change.
func ownerConfirmed(account.Account) bool { return true }
