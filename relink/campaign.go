package relink

import (
	"cmp"
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
	p := newPlanner(pol, ask, len(targets), confirmedEmails, now)
	for i := range targets {
		p.add(&targets[i])
	}
	return p.done()
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
	p := newPlanner(pol, ask, hint, confirmedEmails, now)
	for t := range targets {
		p.add(&t)
	}
	return p.done()
}

// planChunk is how many decisions a planner keeps per chunk when it is
// not told the count: chunks never move, so growing copies nothing.
const planChunk = 4096

// planner decides a campaign's targets one by one (add), then sorts them
// into buckets (done).
type planner struct {
	pol             roles.Policy
	ask             Ask
	confirmedEmails []string
	now             time.Time
	hint            int

	full   [][]Decision // filled chunks
	cur    []Decision   // the chunk being filled
	n      int
	kinds  []uint8
	counts [3]int
	// Targets in strictly ascending ID order (a Store's order) cannot
	// repeat one: seen is built, from the decisions so far, only when the
	// order breaks.
	seen map[AccountID]struct{}
	last AccountID
}

func newPlanner(pol roles.Policy, ask Ask, hint int, confirmedEmails []string, now time.Time) *planner {
	p := &planner{pol: pol, ask: ask, confirmedEmails: confirmedEmails, now: now, hint: hint}
	p.cur = make([]Decision, 0, max(hint, planChunk))
	p.kinds = make([]uint8, 0, hint)
	return p
}

// each calls f with every decision so far, in input order.
func (p *planner) each(f func(*Decision)) {
	for _, c := range p.full {
		for i := range c {
			f(&c[i])
		}
	}
	for i := range p.cur {
		f(&p.cur[i])
	}
}

func (p *planner) add(t *Target) {
	if len(p.cur) == cap(p.cur) {
		p.full = append(p.full, p.cur)
		p.cur = make([]Decision, 0, planChunk)
	}
	p.cur = p.cur[:len(p.cur)+1]
	d := &p.cur[len(p.cur)-1]
	canRequest(d, &p.pol, &p.ask, &t.Account, false, t.Limit, p.confirmedEmails, p.now)
	if id := t.Account.ID; id != "" {
		if p.seen == nil && id <= p.last {
			p.seen = make(map[AccountID]struct{}, max(p.hint, p.n))
			p.each(func(o *Decision) {
				if o != d && o.Account != "" {
					p.seen[o.Account] = struct{}{}
				}
			})
		}
		if p.seen != nil {
			if _, dup := p.seen[id]; dup {
				d.Allowed = false
				d.Reasons = d.Reasons.With(ReasonDuplicate)
				d.NextPossibleAt = time.Time{}
			}
			p.seen[id] = struct{}{}
		}
		p.last = id
	}
	k := bucketNever
	switch {
	case d.Allowed:
		k = bucketEligible
	case d.Later():
		k = bucketLater
	}
	p.counts[k]++
	p.kinds = append(p.kinds, k)
	p.n++
}

func (p *planner) done() Campaign {
	// One backing array, three contiguous buckets, input order kept.
	back := make([]Decision, p.n)
	next := [3]int{0, p.counts[0], p.counts[0] + p.counts[1]}
	i := 0
	p.each(func(d *Decision) {
		k := p.kinds[i]
		back[next[k]] = *d
		next[k]++
		i++
	})
	e, l := p.counts[0], p.counts[0]+p.counts[1]
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
	sortByKey(c.Eligible, func(d *Decision) sortKey {
		// Flagged with a deadline first, soonest first; then flagged
		// without one; then the others (urgency).
		k := sortKey{rank: int64(urgency(*d))}
		if k.rank == 0 {
			k.sec, k.nsec = d.Deadline.Time.Unix(), int32(d.Deadline.Time.Nanosecond())
		}
		return k
	})
	sortByKey(c.Later, func(d *Decision) sortKey {
		return sortKey{sec: d.NextPossibleAt.Unix(), nsec: int32(d.NextPossibleAt.Nanosecond())}
	})
	return c
}

// sortKey orders decisions: by rank, then instant (Unix seconds and
// nanoseconds, which order as Time.Compare does), then input position,
// which makes the sort stable.
type sortKey struct {
	rank, sec int64
	nsec, pos int32
}

func (a sortKey) compare(b sortKey) int {
	switch {
	case a.rank != b.rank:
		return cmp.Compare(a.rank, b.rank)
	case a.sec != b.sec:
		return cmp.Compare(a.sec, b.sec)
	case a.nsec != b.nsec:
		return cmp.Compare(a.nsec, b.nsec)
	}
	return cmp.Compare(a.pos, b.pos)
}

// sortByKey sorts ds stably by key: it sorts the small keys, not the
// decisions (a stable sort of large values moves each many times), then
// moves each decision once.
func sortByKey(ds []Decision, key func(*Decision) sortKey) {
	if len(ds) < 2 {
		return
	}
	keys := make([]sortKey, len(ds))
	sorted := true
	for i := range ds {
		keys[i] = key(&ds[i])
		keys[i].pos = int32(i)
		if i > 0 && sorted && keys[i-1].compare(keys[i]) > 0 {
			sorted = false
		}
	}
	if sorted {
		return
	}
	slices.SortFunc(keys, sortKey.compare)
	out := make([]Decision, len(ds))
	for i, k := range keys {
		out[i] = ds[k.pos]
	}
	copy(ds, out)
}
