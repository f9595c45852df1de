package relink

import (
	"iter"
	"slices"
	"time"

	"github.com/connectkit/connectkit/roles"
)

// Target is one account of a relink campaign, with the limit its past
// requests impose (see LimitOf).
type Target struct {
	// Account is the account to decide; the zero Account is refused as
	// invalid input.
	Account Account
	// Limit is what the account's past requests impose (LimitOf).
	Limit Limit
}

// Campaign is the decision for a relink campaign over many accounts, in
// three buckets. Each Decision names its account. The zero Campaign is
// empty.
type Campaign struct {
	// Eligible are the accounts that may be asked now: first those Stripe
	// flagged relink_required (Decision.RelinkRequired), soonest Deadline
	// first (those without a date after the dated ones), then the others;
	// input order within each.
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

// PlanCampaign decides ask for every target at now, as CanRequest does
// with pol and confirmedEmails, and sorts the accounts into buckets. An
// account that appears more than once is decided at its first appearance;
// later ones go to Never with ReasonDuplicate, so that one campaign makes
// at most one request per account. It is pure and reads no clock.
// PlanCampaignSlice is the same over a slice, and allocates less because it
// knows the count.
func PlanCampaign(pol roles.Policy, ask Ask, targets iter.Seq[Target], confirmedEmails []string, now time.Time) Campaign {
	return campaign(pol, ask, targets, 0, confirmedEmails, now)
}

// PlanCampaignSlice is PlanCampaign over a slice of targets.
func PlanCampaignSlice(pol roles.Policy, ask Ask, targets []Target, confirmedEmails []string, now time.Time) Campaign {
	return campaign(pol, ask, slices.Values(targets), len(targets), confirmedEmails, now)
}

// urgency ranks an eligible decision: 0 flagged by Stripe with a deadline,
// 1 flagged without one, 2 not flagged.
func urgency(d Decision) int {
	switch {
	case d.RelinkRequired && d.Deadline.Valid:
		return 0
	case d.RelinkRequired:
		return 1
	}
	return 2
}

const (
	bucketEligible uint8 = iota
	bucketLater
	bucketNever
)

func campaign(pol roles.Policy, ask Ask, targets iter.Seq[Target], hint int, confirmedEmails []string, now time.Time) Campaign {
	ds := make([]Decision, 0, hint)
	kinds := make([]uint8, 0, hint)
	var counts [3]int
	seen := make(map[AccountID]struct{}, hint)
	for t := range targets {
		d := CanRequest(pol, ask, t.Account, t.Limit, confirmedEmails, now)
		if t.Account.ID != "" {
			if _, dup := seen[t.Account.ID]; dup {
				d.Allowed = false
				d.Reasons = d.Reasons.With(ReasonDuplicate)
				d.NextPossibleAt = time.Time{}
			}
			seen[t.Account.ID] = struct{}{}
		}
		k := bucketNever
		switch {
		case d.Allowed:
			k = bucketEligible
		case d.Later():
			k = bucketLater
		}
		counts[k]++
		ds = append(ds, d)
		kinds = append(kinds, k)
	}
	// One backing array, three contiguous buckets, input order kept.
	back := make([]Decision, len(ds))
	next := [3]int{0, counts[0], counts[0] + counts[1]}
	for i, d := range ds {
		back[next[kinds[i]]] = d
		next[kinds[i]]++
	}
	e, l := counts[0], counts[0]+counts[1]
	c := Campaign{Eligible: back[:e:e], Later: back[e:l:l], Never: back[l:]}
	if len(c.Eligible) == 0 {
		c.Eligible = nil
	}
	if len(c.Later) == 0 {
		c.Later = nil
	}
	if len(c.Never) == 0 {
		c.Never = nil
	}
	slices.SortStableFunc(c.Eligible, func(a, b Decision) int {
		if c := urgency(a) - urgency(b); c != 0 || urgency(a) != 0 {
			return c
		}
		return a.Deadline.Time.Compare(b.Deadline.Time)
	})
	slices.SortStableFunc(c.Later, func(a, b Decision) int {
		return a.NextPossibleAt.Compare(b.NextPossibleAt)
	})
	return c
}
