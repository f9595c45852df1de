package account_test

import (
	"context"
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/roles"
)

var sinkDecision account.Decision

func BenchmarkCanCreate(b *testing.B) {
	p, a := usPlatform(), account.NewExpress("acct_1", "US")
	b.ReportAllocs()
	for b.Loop() {
		sinkDecision = account.CanCreate(pol, dev, p, a)
	}
}

func BenchmarkCanRemove(b *testing.B) {
	a := account.NewStandard("acct_1", "US")
	b.ReportAllocs()
	for b.Loop() {
		sinkDecision = account.CanRemove(pol, admin, a)
	}
}

func BenchmarkCanSendFunds(b *testing.B) {
	p, a, m := usPlatform(), custom("acct_1"), usd("12.34")
	b.ReportAllocs()
	for b.Loop() {
		sinkDecision = account.CanSendFunds(pol, admin, p, a, m, account.ToBalance)
	}
}

func BenchmarkCanPullFunds(b *testing.B) {
	p, a, m := usPlatform(), custom("acct_1"), usd("12.34")
	b.ReportAllocs()
	for b.Loop() {
		sinkDecision = account.CanPullFunds(pol, admin, p, a, m)
	}
}

func BenchmarkCanEditAccountInformation(b *testing.B) {
	a := custom("acct_1")
	b.ReportAllocs()
	for b.Loop() {
		sinkDecision = account.CanEditAccountInformation(pol, dev, a)
	}
}

func BenchmarkCanEditPayoutSchedule(b *testing.B) {
	a := custom("acct_1")
	b.ReportAllocs()
	for b.Loop() {
		sinkDecision = account.CanEditPayoutSchedule(pol, dev, a)
	}
}

func BenchmarkCanViewSupportCases(b *testing.B) {
	a := account.NewStandard("acct_1", "US")
	b.ReportAllocs()
	for b.Loop() {
		sinkDecision = account.CanViewSupportCases(pol, admin, a)
	}
}

func BenchmarkViewAs(b *testing.B) {
	a := account.NewExpress("acct_1", "US")
	b.ReportAllocs()
	for b.Loop() {
		sinkDecision = account.ViewAs(pol, roles.NewSet(roles.Analyst), a)
	}
}

var sinkInactivity account.Inactivity

func BenchmarkInactivityHold(b *testing.B) {
	a := custom("acct_1")
	now := t0.Add(600 * 24 * 3600e9)
	b.ReportAllocs()
	for b.Loop() {
		sinkInactivity = account.InactivityHold(a, now)
	}
}

func BenchmarkMemoryStoreUpdate(b *testing.B) {
	ctx := context.Background()
	s := account.NewMemoryStore()
	a, err := s.Create(ctx, custom("acct_1"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if a, err = s.Update(ctx, a, a.Version); err != nil {
			b.Fatal(err)
		}
	}
}
