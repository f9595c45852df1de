package relink

import (
	"slices"
	"time"
	"unsafe"

	"github.com/connectkit/connectkit/roles"
)

// lastRefusal is an account's last refusal, kept by MemoryStore, and what
// it was decided from. Service hands out the same error for an identical
// refusal rather than allocate a new one, and, when an ask is repeated
// with the very same values (a client retrying within the 48 hours with
// the account it holds), reuses the decision without deciding again: see
// reuses. Values that are the same but were made anew (an account parsed
// again) are decided again, and then share the error if the decision is
// the same; only a different refusal records new inputs. A lastRefusal is
// never changed once published.
type lastRefusal struct {
	err DecisionError

	// seen is the account, when it passed validation (see seenAccount).
	seen seenAccount
	// The other inputs of canRequest, recorded with seen.
	ask      Ask
	askPerms []Permission  // ask.Permissions' elements
	pol      *roles.Policy // Service.Policy
	polValue roles.Policy  // *pol, when pol is not nil
	emails   []string      // Service.ConfirmedEmails as given
	emailsAt []string      // its elements
	lim      Limit
	// The decision's dependence on now: the limit's Blocks(now), and the
	// TAN ground's (see Account.tanGround: when tanFrom is zero the ground
	// does not depend on now).
	limBlocks bool
	tanFrom   time.Time
	tanHolds  bool
}

// newLastRefusal records the refusal d, decided by canRequest from acct,
// ask, pol, emails and lim at now.
func newLastRefusal(d *Decision, acct *Account, ask *Ask, pol *roles.Policy, emails []string, lim Limit, now time.Time) *lastRefusal {
	l := &lastRefusal{err: DecisionError{Decision: *d}}
	if d.Reasons.Has(ReasonInvalidInput) {
		return l
	}
	if l.seen = seeAccount(acct); !l.seen.ok {
		return l
	}
	l.ask, l.askPerms = *ask, slices.Clone(ask.Permissions)
	l.pol = pol
	if pol != nil {
		l.polValue = *pol
	}
	l.emails, l.emailsAt = emails, slices.Clone(emails)
	l.lim, l.limBlocks = lim, lim.Blocks(now)
	l.tanHolds, l.tanFrom = acct.tanGround(now)
	return l
}

// reuses reports whether canRequest, given the account seen (which the
// caller has matched), ask, pol, emails and lim at now, would decide
// exactly l's decision: every input is the same value as recorded (see
// seenAccount for what "the same" means), and now is on the same side of
// every instant the decision turns on.
func (l *lastRefusal) reuses(ask *Ask, pol *roles.Policy, emails []string, lim Limit, now time.Time) bool {
	return lim == l.lim && lim.Blocks(now) == l.limBlocks &&
		(l.tanFrom.IsZero() || !now.Before(l.tanFrom) == l.tanHolds) &&
		sameBytes(ask, &l.ask) && sameElems(ask.Permissions, l.askPerms) &&
		pol == l.pol && (pol == nil || *pol == l.polValue) &&
		unsafe.SliceData(emails) == unsafe.SliceData(l.emails) && sameElems(emails, l.emailsAt)
}

// seenAccount is a shallow copy of an account that passed invalidField,
// with copies of the elements of the slices it points to, as they were
// then. An account that is the same value, byte for byte, refers to the
// same strings (which Go never changes), the same slices (whose elements
// are compared with the copies, since a caller may change them in place)
// and the same maps (whose lengths are checked again, since maps change in
// place; their contents matter to invalidField and canRequest only through
// Unsent, which a seen account has none of, and through Holder.isZero when
// the holder has no type, which a seen account with a Holder.Extra map
// does not have). Such an account passes invalidField too, and canRequest
// reads nothing else of it. The zero seenAccount matches nothing.
type seenAccount struct {
	ok    bool
	acct  Account
	perms []Permission
	nums  []AccountNumber
	nets  []Network // every number's SupportedNetworks, one after another
}

// seeAccount returns what matches a, which passed invalidField: nothing,
// when a holds what the shallow comparison cannot vouch for (unsent
// members, whose check reads Extra's contents; expanded holder objects,
// whose bytes can change in place; a holder with no type but an Extra
// map, which is valid only while the map stays empty).
func seeAccount(a *Account) seenAccount {
	if len(a.Unsent) != 0 || len(a.Holder.CustomerObject) != 0 || len(a.Holder.AccountObject) != 0 ||
		(a.Holder.Type == "" && a.Holder.Extra != nil) {
		return seenAccount{}
	}
	s := seenAccount{ok: true, acct: *a, perms: slices.Clone(a.Permissions), nums: slices.Clone(a.AccountNumbers)}
	for i := range a.AccountNumbers {
		if len(a.AccountNumbers[i].Unsent) != 0 {
			return seenAccount{}
		}
		s.nets = append(s.nets, a.AccountNumbers[i].SupportedNetworks...)
	}
	return s
}

// matches reports whether a is the account s saw, unchanged, and so
// passes invalidField without being validated again.
func (s *seenAccount) matches(a *Account) bool {
	if !s.ok || !sameBytes(a, &s.acct) || !sameElems(a.Permissions, s.perms) || !sameElems(a.AccountNumbers, s.nums) {
		return false
	}
	if len(a.Extra) > MaxListLen || len(a.StatusDetailsExtra) > MaxListLen || len(a.Active.Extra) > MaxListLen ||
		len(a.Inactive.Extra) > MaxListLen || len(a.Holder.Extra) > MaxListLen {
		return false
	}
	nets := s.nets
	for i := range a.AccountNumbers {
		n := &a.AccountNumbers[i]
		if len(n.Extra) > MaxListLen || len(n.SupportedNetworks) > len(nets) ||
			!sameElems(n.SupportedNetworks, nets[:len(n.SupportedNetworks)]) {
			return false
		}
		nets = nets[len(n.SupportedNetworks):]
	}
	return true
}

// sameBytes reports whether *a and *b hold the same bytes: for types of
// strings, slices and maps, the same strings, slice headers and maps.
// Padding bytes are compared too, so equal values may differ; that only
// costs a decision made again.
func sameBytes[T any](a, b *T) bool {
	n := int(unsafe.Sizeof(*a))
	return unsafe.String((*byte)(unsafe.Pointer(a)), n) == unsafe.String((*byte)(unsafe.Pointer(b)), n)
}

// sameElems reports whether a and b are of one length and hold the same
// bytes.
func sameElems[T any](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 {
		return true
	}
	n := len(a) * int(unsafe.Sizeof(a[0]))
	return unsafe.String((*byte)(unsafe.Pointer(&a[0])), n) == unsafe.String((*byte)(unsafe.Pointer(&b[0])), n)
}
