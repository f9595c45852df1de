package relink_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

func BenchmarkCheck(b *testing.B) {
	a := activeWithTAN(t0.Add(20 * day))
	a.Livemode = false
	p := relink.Policy{ConfirmedEmails: []string{"dev@platform.test", "jenny@example.com"}}
	ask := relink.Ask{Method: relink.MethodDashboard, Roles: roles.NewSet(roles.Admin), Purpose: relink.PurposeRefreshTAN}
	lim := relink.Limit{Until: t1}
	b.ReportAllocs()
	var d relink.Decision
	for b.Loop() {
		d = p.Check(a, ask, lim, t0)
	}
	_ = d
}

func campaignTargets(n int) []relink.Target {
	targets := make([]relink.Target, n)
	for i := range targets {
		var a *relink.Account
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
		c := relink.Policy{}.CampaignSlice(targets, ask, t0)
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
		_ = relink.Policy{}.Campaign(slices.Values(targets), ask, t0)
	}
}
