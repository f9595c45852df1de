package pgstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

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
//
// With PGSTORE_BENCH_DURABLE set (and CONNECTKIT_PG_DURABLE_URL, as
// .ci/pg.sh sets it), every benchmark runs against the durable server
// instead (PostgreSQL's default fsync and synchronous_commit):
//
//	PGSTORE_BENCH=1 PGSTORE_BENCH_DURABLE=1 bash .ci/pg.sh -run '^$'

func init() {
	if os.Getenv("PGSTORE_BENCH_DURABLE") != "" {
		if u := os.Getenv("CONNECTKIT_PG_DURABLE_URL"); u != "" {
			_ = os.Setenv(urlEnv, u)
		}
	}
}

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

// The bare statements each Store operation stands for, on the same server
// in the same run: a write is one conditional UPDATE of a row found by its
// key on a table of account_links' shape, a read one round trip. Compare
// each "pg" row above with these (issue 17: within 1.3×).

// benchBareDB returns a pool over a fresh schema holding bare_links, a
// table of account_links' shape (LIKE … INCLUDING ALL: same columns, key
// and checks), filled with n unused rows keyed by hashOf(i).
func benchBareDB(b *testing.B, n int) *pgxpool.Pool {
	db := newDB(b)
	ctx := context.Background()
	if _, err := db.Exec(ctx, `CREATE TABLE bare_links (LIKE account_links INCLUDING ALL)`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(ctx, `INSERT INTO bare_links (token_hash, account, chain, params, created_at, expires_at, chain_started)
		SELECT sha256(int8send(i)), 'acct_1', sha256(int8send(i)), '{"type":"account_onboarding"}', $2, $3, $2
		FROM generate_series(0, $1 - 1) AS i`, n, t0, t0.Add(5*time.Minute)); err != nil {
		b.Fatal(err)
	}
	return db
}

const sqlBareUpdate = `UPDATE bare_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL`

// BenchmarkBaseline_Update is the bare single-use UPDATE on a distinct row
// each time, as redeem does.
func BenchmarkBaseline_Update(b *testing.B) {
	db := benchBareDB(b, b.N)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		h := hashOf(i)
		tag, err := db.Exec(ctx, sqlBareUpdate, h[:], t0.Add(time.Minute))
		if err != nil || tag.RowsAffected() != 1 {
			b.Fatalf("bare update: %v, %v", tag, err)
		}
	}
}

// BenchmarkBaseline_AccountUpdate is the bare statement AccountStore.Update
// stands for: one UPDATE of the same accounts row, by key and version,
// writing a body of the same size (accounttest.Sample's JSON), with no
// probe, no encoding and no decoding.
func BenchmarkBaseline_AccountUpdate(b *testing.B) {
	db := newDB(b)
	ctx := context.Background()
	a, err := pgstore.NewAccountStore(db).Create(ctx, accounttest.Sample("acct_1"))
	if err != nil {
		b.Fatal(err)
	}
	a.Version = 0
	body, err := json.Marshal(a)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for v := range int64(b.N) {
		tag, err := db.Exec(ctx, `UPDATE accounts SET version = version + 1, body = $2 WHERE id = $1 AND version = $3`, "acct_1", body, v+1)
		if err != nil || tag.RowsAffected() != 1 {
			b.Fatalf("bare account update: %v, %v", tag, err)
		}
	}
}

// BenchmarkBaseline_RelinkInsert is the bare statement a relink request
// that the limit lets through stands for: one INSERT of a relink_requests
// row, a new account each time.
func BenchmarkBaseline_RelinkInsert(b *testing.B) {
	db := newDB(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := db.Exec(ctx, `INSERT INTO relink_requests (id, account, method, delivery, purpose, same_account, limited, status, created_at)
			VALUES ($1, $2, 'hosted_dashboard', '', 'refresh_tan', false, true, 'pending', $3)`,
			fmt.Sprintf("relreq_%d", i), fmt.Sprintf("fca_%d", i), t0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaseline_AccountInsert is the bare statement
// AccountStore.Create stands for: one INSERT of an accounts row, a new ID
// each time, with a body of the same size (accounttest.Sample's storage
// form), with no encoding and no validation.
func BenchmarkBaseline_AccountInsert(b *testing.B) {
	db := newDB(b)
	ctx := context.Background()
	body, err := account.MarshalStorage(accounttest.Sample("acct"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		tag, err := db.Exec(ctx, `INSERT INTO accounts (id, version, body) VALUES ($1, 1, $2) ON CONFLICT (id) DO NOTHING`,
			fmt.Sprintf("acct_%d", i), body)
		if err != nil || tag.RowsAffected() != 1 {
			b.Fatalf("bare account insert: %v, %v", tag, err)
		}
	}
}

// BenchmarkBaseline_LimitRead is the bare statement a relink request that
// the 48-hour limit refuses stands for (RelinkStore_CreateRequestLimited):
// one keyed read of the account's relink_limits row, finding the claim
// that blocks. A fairer baseline for it than SELECT 1, which reads no
// table.
func BenchmarkBaseline_LimitRead(b *testing.B) {
	db := newDB(b)
	ctx := context.Background()
	if _, err := pgstore.NewRelinkStore(db).CreateRequest(ctx,
		relink.NewRequest("relreq_first", "fca_1", relink.Ask{Method: relink.MethodHostedDashboard}), t0); err != nil {
		b.Fatal(err)
	}
	now := t0.Add(time.Hour)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var created time.Time
		if err := db.QueryRow(ctx, `SELECT created_at FROM relink_limits WHERE account = $1 AND NOT succeeded AND created_at > $2`,
			"fca_1", now.Add(-relink.Window)).Scan(&created); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaseline_Select1 is one round trip: SELECT 1.
func BenchmarkBaseline_Select1(b *testing.B) {
	db := newDB(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var one int
		if err := db.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
			b.Fatal(err)
		}
	}
}

// throughputConns is the number of connections (and goroutines) of the
// throughput benchmark, as many as the pool has.
const throughputConns = poolConns

// runThroughput runs op from throughputConns goroutines, each with its own
// sequence numbers (op(i) for distinct i), and reports operations per
// second beside ns/op.
func runThroughput(b *testing.B, op func(ctx context.Context, i int) error) {
	var next atomic.Int64
	b.SetParallelism((throughputConns + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			if err := op(ctx, int(next.Add(1)-1)); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "ops/s")
}

// BenchmarkThroughput32: operations per second over 32 connections, each
// operation on its own row — redeem (links), a relink request that the
// limit lets through (a new account each time), and the bare statements.
func BenchmarkThroughput32(b *testing.B) {
	b.Run("redeem", func(b *testing.B) {
		s, ctx := pgstore.NewLinkStore(newDB(b)), context.Background()
		for i := range b.N {
			if err := s.CreateAccountLink(ctx, benchLink(i)); err != nil {
				b.Fatal(err)
			}
		}
		runThroughput(b, func(ctx context.Context, i int) error {
			_, err := s.RedeemAccountLink(ctx, hashOf(i), t0.Add(time.Minute))
			return err
		})
	})
	b.Run("relink-request", func(b *testing.B) {
		s := pgstore.NewRelinkStore(newDB(b))
		runThroughput(b, func(ctx context.Context, i int) error {
			r := relink.NewRequest(relink.RequestID(fmt.Sprintf("relreq_%d", i)),
				relink.AccountID(fmt.Sprintf("fca_%d", i)), relink.Ask{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryEmail})
			_, err := s.CreateRequest(ctx, r, t0)
			return err
		})
	})
	b.Run("baseline-update", func(b *testing.B) {
		db := benchBareDB(b, b.N)
		runThroughput(b, func(ctx context.Context, i int) error {
			h := hashOf(i)
			tag, err := db.Exec(ctx, sqlBareUpdate, h[:], t0.Add(time.Minute))
			if err == nil && tag.RowsAffected() != 1 {
				err = fmt.Errorf("bare update changed %d rows", tag.RowsAffected())
			}
			return err
		})
	})
	b.Run("baseline-select1", func(b *testing.B) {
		db := newDB(b)
		runThroughput(b, func(ctx context.Context, i int) error {
			var one int
			return db.QueryRow(ctx, "SELECT 1").Scan(&one)
		})
	})
}
