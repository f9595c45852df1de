package relink_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
	"github.com/connectkit/connectkit/snapshot"
)

func BenchmarkCanRequest(b *testing.B) {
	a := activeWithTAN(t0.Add(20 * day))
	a.Livemode = false
	pol, confirmed := roles.Default(), []string{"dev@platform.test", "jenny@example.com"}
	ask := relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "user_admin", Roles: roles.NewSet(roles.Admin)}, Purpose: relink.PurposeRefreshTAN}
	lim := relink.Limit{Until: t1}
	b.ReportAllocs()
	var d relink.Decision
	for b.Loop() {
		d = relink.CanRequest(pol, ask, a, lim, confirmed, t0)
	}
	_ = d
}

func campaignTargets(n int) []relink.Target {
	targets := make([]relink.Target, n)
	for i := range targets {
		var a relink.Account
		switch i % 4 {
		case 0:
			a = inactive()
		case 1:
			a = activeWithTAN(t0.Add(time.Duration(i%60) * day))
		case 2:
			a = inactive()
			a.Holder.Email = ""
		default:
			a = inactive()
			targets[i].Limit = relink.Limit{Until: t0.Add(time.Duration(i%48) * time.Hour)}
		}
		a.ID = relink.AccountID(fmt.Sprintf("fca_%06d", i))
		targets[i].Account = a
	}
	return targets
}

func BenchmarkCampaign100k(b *testing.B) {
	const n = 100_000
	targets := campaignTargets(n)
	ask := relink.Ask{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryEmail}
	b.ReportAllocs()
	for b.Loop() {
		c := relink.PlanCampaignSlice(roles.Default(), ask, targets, nil, t0)
		if c.Len() != n {
			b.Fatal(c.Len())
		}
	}
}

func BenchmarkCampaign100kSeq(b *testing.B) {
	targets := campaignTargets(100_000)
	ask := relink.Ask{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryEmail}
	b.ReportAllocs()
	for b.Loop() {
		_ = relink.PlanCampaign(roles.Default(), ask, slices.Values(targets), nil, t0)
	}
}

// BenchmarkApplyAccountSnapshot applies a newer snapshot of one stored
// account through the in-memory store: read, judge, conditional write.
func BenchmarkApplyAccountSnapshot(b *testing.B) {
	ctx := context.Background()
	s := &relink.Service{Store: relink.NewMemoryStore()}
	acct := activeWithTAN(t0.Add(20 * day))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		m := snapshot.Mark{Created: t0.Add(time.Duration(i) * time.Second), EventID: "evt_1"}
		if _, err := s.ApplyAccountSnapshotAt(ctx, acct, m, t0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRequestRefused asks, through Service and the in-memory store,
// for a relink refused by the 48-hour limit (K3): the hot refusal path.
func BenchmarkRequestRefused(b *testing.B) {
	ctx := context.Background()
	s := &relink.Service{Store: relink.NewMemoryStore()}
	acct := inactive()
	if _, _, err := s.RequestAt(ctx, acct, emailAsk, t0); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.RequestAt(ctx, acct, emailAsk, t1); !errors.Is(err, relink.ErrRateLimited) {
			b.Fatal(err)
		}
	}
}

// BenchmarkServiceCampaign plans a campaign over every account an
// in-memory store holds (Service.CampaignAt: pages of accounts, each
// account's limit), at n=1000, 10000 and 100000 accounts, a quarter of
// them with a request made an hour before.
func BenchmarkServiceCampaign(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			ctx := context.Background()
			s := &relink.Service{Store: relink.NewMemoryStore(), Rand: new(counter)}
			for i, tg := range campaignTargets(n) {
				if _, err := s.Store.PutFCAccount(ctx, relink.StoredAccount{Account: tg.Account, Mark: snapshot.Mark{Created: t0, EventID: "evt_1"}}, 0); err != nil {
					b.Fatal(err)
				}
				if i%4 == 0 {
					if _, _, err := s.RequestAt(ctx, tg.Account, emailAsk, t0.Add(-time.Hour)); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				c, err := s.CampaignAt(ctx, emailAsk, t0)
				if err != nil || c.Len() != n {
					b.Fatal(c.Len(), err)
				}
			}
		})
	}
}
