package links

import "github.com/connectkit/connectkit/account"

// ownerConfirmed reports whether the platform confirmed that the account
// owner is set correctly, as seed 000 asks before a remediation link is
// generated (ReasonOwnerNotSet).
func ownerConfirmed(a account.Account) bool { return a.OwnerConfirmed }
