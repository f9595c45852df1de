package relink

import (
	"iter"
	"slices"
	"time"
)

// Target is one account of a relink campaign, with the limit its past
// requests impose (see LimitOf).
type Target struct {
	Account *Account
	Limit   Limit
}

// Campaign is the decision for a relink campaign over many accounts, in
// three buckets. Each Decision names its account. The zero Campaign is
// empty.
type Campaign struct {
	// Eligible are the accounts that may be asked now, in input order.
	Eligible []Decision
	// Later are the accounts refused now only by time (the 48-hour limit,
	// a TAN not yet within 30 days of expiry), ordered by NextPossibleAt,
	// then input order.
	Later []Decision
	// Never are the accounts refused on some ground time alone does not
	// remove, in input order, with every reason.
	Never []Decision
}

// Len returns the number of accounts decided.
func (c Campaign) Len() int { return len(c.Eligible) + len(c.Later) + len(c.Never) }

// Campaign decides ask for every target at now, as Check does, and sorts
// the accounts into buckets. An account that appears more than once is
// decided at its first appearance; later ones go to Never with
// ReasonDuplicate, so that one campaign makes at most one request per
// account. It is pure and reads no clock.
func (p Policy) Campaign(targets iter.Seq[Target], ask Ask, now time.Time) Campaign {
	var c Campaign
	seen := make(map[AccountID]struct{})
	for t := range targets {
		d := p.Check(t.Account, ask, t.Limit, now)
		if t.Account != nil {
			if _, dup := seen[t.Account.ID]; dup {
				d.Allowed = false
				d.Reasons = d.Reasons.With(ReasonDuplicate)
				d.NextPossibleAt = time.Time{}
			}
			seen[t.Account.ID] = struct{}{}
		}
		switch {
		case d.Allowed:
			c.Eligible = append(c.Eligible, d)
		case d.Later():
			c.Later = append(c.Later, d)
		default:
			c.Never = append(c.Never, d)
		}
	}
	slices.SortStableFunc(c.Later, func(a, b Decision) int {
		return a.NextPossibleAt.Compare(b.NextPossibleAt)
	})
	return c
}
