package links_test

import (
	"context"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/links"
)

func BenchmarkCreateAccountLink(b *testing.B) {
	s, _ := newService(b)
	a, p := custom(), onboarding(true)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.CreateAccountLink(ctx, owner, a, p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRedeem(b *testing.B) {
	s, _ := newService(b)
	a, p := custom(), onboarding(true)
	toks := make([]links.Token, 0, 1<<16)
	for range cap(toks) {
		got, err := s.CreateAccountLink(ctx, owner, a, p)
		if err != nil {
			b.Fatal(err)
		}
		toks = append(toks, got.Token)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		// Past the pre-made links, redemptions redirect as already used:
		// the same one store call.
		if _, err := s.Redeem(ctx, toks[i%len(toks)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkRedeemContended redeems as BenchmarkRedeem does, from 64
// goroutines at once (32 per core on 2 cores), each on its own links:
// the per-op time beside BenchmarkRedeem's shows what the store's locking
// costs under contention.
func BenchmarkRedeemContended(b *testing.B) {
	s, _ := newService(b)
	a, p := custom(), onboarding(true)
	toks := make([]links.Token, 0, 1<<16)
	for range cap(toks) {
		got, err := s.CreateAccountLink(ctx, owner, a, p)
		if err != nil {
			b.Fatal(err)
		}
		toks = append(toks, got.Token)
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(64 / runtime.GOMAXPROCS(0))
	b.RunParallel(func(pb *testing.PB) {
		// Goroutine g redeems links g, g+64, g+128, …: distinct links.
		g := int(next.Add(1) - 1)
		i := g
		for pb.Next() {
			if _, err := s.Redeem(ctx, toks[i%len(toks)]); err != nil {
				b.Error(err)
				return
			}
			i += 64
		}
	})
}

func BenchmarkResolveDestination(b *testing.B) {
	a := custom()
	a.Components.NotificationBanner = true
	p := account.Platform{BannerPageURL: "https://platform.example/notifications", Live: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := links.ResolveDestination(a, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExportRemediationLinks100k exports 100,000 accounts (L11),
// each getting a new link. The accounts are built before the timer and the
// AccountSource returns a bare live account, so that the figures are the
// library's cost per account, not the fixtures'.
func BenchmarkExportRemediationLinks100k(b *testing.B) {
	const n = 100_000
	accts := slices.Collect(accounts(n))
	live := links.AccountsFunc(func(_ context.Context, id account.ID) (account.Account, error) {
		return account.Account{ID: id}, nil
	})
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s, _ := newService(b)
		s.Accounts = live
		b.StartTimer()
		rows := 0
		sum, err := s.ExportRemediationLinks(ctx, admin, slices.Values(accts), func(links.ExportRow) error {
			rows++
			return nil
		})
		if err != nil || rows != n || sum.Rows != rows {
			b.Fatalf("%d rows, %+v, %v", rows, sum, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/account")
}

func BenchmarkRefresh(b *testing.B) {
	s, c := newService(b)
	s.RefreshLimit = 1 << 30
	s.RefreshChainAge = 200 * 365 * 24 * time.Hour // 584 years is the most a Duration holds
	a, p := custom(), onboarding(true)
	got, err := s.CreateAccountLink(ctx, owner, a, p)
	if err != nil {
		b.Fatal(err)
	}
	tok := got.Token
	b.ReportAllocs()
	for b.Loop() {
		// Each refresh replaces the latest link of the chain, once it
		// expired (a live link is refused: redeem it).
		c.Advance(links.DefaultAccountLinkTTL)
		next, err := s.Refresh(ctx, tok)
		if err != nil {
			b.Fatal(err)
		}
		tok = next.Token
	}
}
