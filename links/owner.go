package links

import "github.com/connectkit/connectkit/account"

// ownerConfirmed reports whether the account owner is set correctly (L6).
// TODO(integrate): a.OwnerConfirmed once package account has it.
func ownerConfirmed(a account.Account) bool { _ = a; return true }
