package pgstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/account/accounttest"
	"github.com/connectkit/connectkit/examples/pgstore"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/relink"
	"github.com/shopspring/decimal"
)

// Each Store operation is measured twice, as sub-benchmarks "pg" (this
// adapter over the server in CONNECTKIT_PG_URL) and "mem" (the library's
// in-memory store), so that one command prints both:
//
//	go test -run '^$' -bench . -benchmem

type storeKind struct {
	name    string
	account func(b *testing.B) account.Store
	links   func(b *testing.B) links.Store
	relink  func(b *testing.B) relink.Store
}

var kinds = []storeKind{
	{"pg",
		func(b *testing.B) account.Store { return pgstore.NewAccountStore(newDB(b)) },
		func(b *testing.B) links.Store { return pgstore.NewLinkStore(newDB(b)) },
		func(b *testing.B) relink.Store { return pgstore.NewRelinkStore(newDB(b)) }},
	{"mem",
		func(*testing.B) account.Store { return account.NewMemoryStore() },
		func(*testing.B) links.Store { return links.NewMemoryStore() },
		func(*testing.B) relink.Store { return relink.NewMemoryStore() }},
}

func hashOf(i int) links.TokenHash {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(i))
	return links.TokenHash(sha256.Sum256(b[:]))
}

func benchLink(i int) links.AccountLink {
	h := hashOf(i)
	return links.AccountLink{Hash: h, Chain: h, ChainStarted: t0, Account: "acct_1", Created: t0, ExpiresAt: t0.Add(5 * time.Minute),
		Params: links.AccountLinkParams{Type: links.TypeOnboarding,
			RefreshURL: "https://platform.example/refresh", ReturnURL: "https://platform.example/return"}}
}

func BenchmarkAccountStore_Create(b *testing.B) {
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			s, ctx := k.account(b), context.Background()
			a := accounttest.Sample("acct")
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				a.ID = account.ID(fmt.Sprintf("acct_%d", i))
				if _, err := s.Create(ctx, a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAccountStore_Get(b *testing.B) {
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			s, ctx := k.account(b), context.Background()
			if _, err := s.Create(ctx, accounttest.Sample("acct_1")); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := s.Get(ctx, "acct_1"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAccountStore_Update(b *testing.B) {
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			s, ctx := k.account(b), context.Background()
			a, err := s.Create(ctx, accounttest.Sample("acct_1"))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if a, err = s.Update(ctx, a, a.Version); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAccountStore_Transfer(b *testing.B) {
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			s, ctx := k.account(b), context.Background()
			a, err := s.Create(ctx, accounttest.Sample("acct_1"))
			if err != nil {
				b.Fatal(err)
			}
			p, err := s.CreatePlatform(ctx, accounttest.SamplePlatform())
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			m := account.Money{Amount: decimal.RequireFromString("0.01"), Currency: "usd"}
			for i := range b.N {
				mv := account.Move{Key: fmt.Sprintf("bench_%d", i), Op: account.OpSendFunds, Money: m, CreatedBy: "user_bench"}
				if p, a, err = s.Transfer(ctx, p, p.Version, a, a.Version, mv); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLinkStore_Create(b *testing.B) {
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			s, ctx := k.links(b), context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if err := s.CreateAccountLink(ctx, benchLink(i)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLinkStore_Redeem(b *testing.B) {
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			s, ctx := k.links(b), context.Background()
			for i := range b.N {
				if err := s.CreateAccountLink(ctx, benchLink(i)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if _, err := s.RedeemAccountLink(ctx, hashOf(i), t0.Add(time.Minute)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLinkStore_RedeemRefused(b *testing.B) {
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			s, ctx := k.links(b), context.Background()
			if err := s.CreateAccountLink(ctx, benchLink(0)); err != nil {
				b.Fatal(err)
			}
			if _, err := s.RedeemAccountLink(ctx, hashOf(0), t0); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := s.RedeemAccountLink(ctx, hashOf(0), t0); err == nil {
					b.Fatal("redeemed twice")
				}
			}
		})
	}
}

func BenchmarkLinkStore_TakeRefresh(b *testing.B) {
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			s, ctx := k.links(b), context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if _, err := s.TakeRefresh(ctx, hashOf(i%1024), t0, time.Hour, 1<<30); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLinkStore_RemediationByToken(b *testing.B) {
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			s, ctx := k.links(b), context.Background()
			l := links.RemediationLink{ID: "rml_1", Account: "acct_1", CreatedBy: "usr_1", Created: t0,
				ExpiresAt: t0.Add(links.RemediationTTL)}
			if _, err := s.CreateRemediationLink(ctx, l, hashOf(0), t0); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := s.RemediationLinkByToken(ctx, hashOf(0)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRelinkStore_CreateRequest(b *testing.B) {
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			s, ctx := k.relink(b), context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				// A new account each time: every request is created.
				r := relink.NewRequest(relink.RequestID(fmt.Sprintf("relreq_%d", i)),
					relink.AccountID(fmt.Sprintf("fca_%d", i)), relink.Ask{Method: relink.MethodHostedDashboard})
				if _, err := s.CreateRequest(ctx, r, t0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRelinkStore_CreateRequestLimited(b *testing.B) {
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			s, ctx := k.relink(b), context.Background()
			first := relink.NewRequest("relreq_first", "fca_1", relink.Ask{Method: relink.MethodHostedDashboard})
			if _, err := s.CreateRequest(ctx, first, t0); err != nil {
				b.Fatal(err)
			}
			r := relink.NewRequest("relreq_next", "fca_1", relink.Ask{Method: relink.MethodHostedDashboard})
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := s.CreateRequest(ctx, r, t0.Add(time.Hour)); err == nil {
					b.Fatal("the limit let a second request through")
				}
			}
		})
	}
}

func BenchmarkRelinkStore_Close(b *testing.B) {
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			s, ctx := k.relink(b), context.Background()
			for i := range b.N {
				r := relink.NewRequest(relink.RequestID(fmt.Sprintf("relreq_%d", i)),
					relink.AccountID(fmt.Sprintf("fca_%d", i)), relink.Ask{Method: relink.MethodHostedDashboard})
				if _, err := s.CreateRequest(ctx, r, t0); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if _, err := s.Close(ctx, relink.RequestID(fmt.Sprintf("relreq_%d", i)),
					relink.Result{Status: relink.RequestSucceeded}, t0.Add(time.Minute)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRelinkStore_ListByAccount(b *testing.B) {
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			s, ctx := k.relink(b), context.Background()
			for i := range 10 {
				r := relink.NewRequest(relink.RequestID(fmt.Sprintf("relreq_%d", i)), "fca_1", relink.Ask{Method: relink.MethodAPI})
				if _, err := s.CreateRequest(ctx, r, t0.Add(time.Duration(i)*time.Second)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := s.ListByAccount(ctx, "fca_1"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
