package relink_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

// TestCampaign_K2_OrderMatchesStableSort checks the campaign's order
// against its definition, a stable sort of the decisions in input order:
// Eligible by urgency (flagged relink_required with a deadline, soonest
// first; flagged without one; the others), Later by NextPossibleAt. Ties
// (equal deadlines, equal instants) are drawn often, so that stability is
// exercised.
func TestCampaign_K2_OrderMatchesStableSort(t *testing.T) {
	ask := relink.Ask{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryEmail}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 40).Draw(t, "n")
		targets := make([]relink.Target, n)
		for i := range targets {
			a := inactive()
			a.ID = relink.AccountID(fmt.Sprintf("fca_%03d", rapid.IntRange(0, 2*n).Draw(t, "id")))
			at := t0.Add(time.Duration(rapid.IntRange(0, 3).Draw(t, "at")) * time.Hour)
			switch rapid.IntRange(0, 4).Draw(t, "kind") {
			case 1: // flagged with a deadline
				a.Status, a.Inactive = relink.AccountActive, relink.InactiveDetails{}
				a.Active = relink.ActiveDetails{Action: relink.ActionRelinkRequired, ExpectedDeactivation: relink.TimestampOf(at.Add(24 * time.Hour))}
			case 2: // flagged without one
				a.Status, a.Inactive = relink.AccountActive, relink.InactiveDetails{}
				a.Active = relink.ActiveDetails{Action: relink.ActionRelinkRequired}
			case 3: // later, by the limit
				targets[i].Limit = relink.Limit{Until: at.Add(time.Minute)}
			case 4: // never
				a.Holder.Email = ""
			}
			targets[i].Account = a
		}
		got := relink.PlanCampaignSlice(roles.Default(), ask, targets, nil, t0)

		// The reference: decide in input order, first appearance wins.
		var want relink.Campaign
		seen := map[relink.AccountID]bool{}
		for _, tg := range targets {
			d := relink.CanRequest(roles.Default(), ask, tg.Account, tg.Limit, nil, t0)
			if seen[tg.Account.ID] {
				d.Allowed, d.NextPossibleAt = false, time.Time{}
				d.Reasons = d.Reasons.With(relink.ReasonDuplicate)
			}
			seen[tg.Account.ID] = true
			switch {
			case d.Allowed:
				want.Eligible = append(want.Eligible, d)
			case d.Later():
				want.Later = append(want.Later, d)
			default:
				want.Never = append(want.Never, d)
			}
		}
		urgency := func(d relink.Decision) int {
			switch {
			case d.RelinkRequired && d.Deadline.Valid:
				return 0
			case d.RelinkRequired:
				return 1
			}
			return 2
		}
		slices.SortStableFunc(want.Eligible, func(a, b relink.Decision) int {
			if c := urgency(a) - urgency(b); c != 0 || urgency(a) != 0 {
				return c
			}
			return a.Deadline.Time.Compare(b.Deadline.Time)
		})
		slices.SortStableFunc(want.Later, func(a, b relink.Decision) int { return a.NextPossibleAt.Compare(b.NextPossibleAt) })
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("campaign (-want +got):\n%s", diff)
		}
	})
}
