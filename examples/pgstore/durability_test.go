package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/examples/pgstore"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

// The durability test needs a server of its own that it may stop: .ci/pg.sh
// starts one with PostgreSQL's default durability settings and sets these.
const (
	durableURLEnv  = "CONNECTKIT_PG_DURABLE_URL"  // connection string
	durableCtlEnv  = "CONNECTKIT_PG_DURABLE_CTL"  // path of pg_ctl
	durableDataEnv = "CONNECTKIT_PG_DURABLE_DATA" // the cluster's data directory
	durableLogEnv  = "CONNECTKIT_PG_DURABLE_LOG"  // the server log pg_ctl start writes
	durableUserEnv = "CONNECTKIT_PG_DURABLE_USER" // runs pg_ctl (via runuser); empty: this process's user
)

// durableServer is a PostgreSQL server the test may stop and start. Its
// data directory's postgresql.conf holds every setting it runs with (port,
// listen address, socket directory), so a bare `pg_ctl start` brings it
// back as it was.
type durableServer struct{ url, ctl, data, log, user string }

// durableServerFromEnv returns the server the environment describes. Without
// one the test is skipped, except under CI=true, where it fails: CI must
// never pass by skipping.
func durableServerFromEnv(t *testing.T) durableServer {
	t.Helper()
	s := durableServer{url: os.Getenv(durableURLEnv), ctl: os.Getenv(durableCtlEnv),
		data: os.Getenv(durableDataEnv), log: os.Getenv(durableLogEnv), user: os.Getenv(durableUserEnv)}
	var missing []string
	for name, v := range map[string]string{durableURLEnv: s.url, durableCtlEnv: s.ctl, durableDataEnv: s.data, durableLogEnv: s.log} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s unset but CI=true: the durability test must run in CI (see .ci/pg.sh)", strings.Join(missing, ", "))
		}
		t.Skipf("set %s to run the durability test against a server it may stop, or run .ci/pg.sh", strings.Join(missing, ", "))
	}
	return s
}

// pgCtl runs pg_ctl -D data args… as the server's user, for at most two
// minutes.
func (s durableServer) pgCtl(args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name, argv := s.ctl, append([]string{"-D", s.data}, args...)
	if s.user != "" {
		if u, err := user.Current(); err != nil || u.Username != s.user {
			name, argv = "runuser", append([]string{"-u", s.user, "--", s.ctl}, argv...)
		}
	}
	out, err := exec.CommandContext(ctx, name, argv...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w\n%s", name, strings.Join(argv, " "), err, out)
	}
	return nil
}

// crash stops the server the way a crash would: SIGQUIT to every backend,
// no checkpoint, no flush; the next start replays the WAL.
func (s durableServer) crash() error { return s.pgCtl("-m", "immediate", "-w", "stop") }

func (s durableServer) start() error { return s.pgCtl("-l", s.log, "-w", "-t", "60", "start") }

// What the writers do and how long: the server is stopped crashCycles
// times, each time after phaseWrites more acknowledged writes, and the
// writers stop phaseWrites acknowledged writes after the last restart.
const (
	crashCycles  = 2
	phaseWrites  = 400
	relinkGroups = racers / 4 // four writers race for each relink account
)

var (
	adminRole      = roles.User{ID: "user_durability", Roles: roles.NewSet(roles.Admin)}
	initialFunds   = decimal.New(100_000_000, -2) // 1,000,000.00 usd on the platform
	durableParams  = links.AccountLinkParams{Type: links.TypeOnboarding, RefreshURL: "https://platform.example/refresh", ReturnURL: "https://platform.example/return"}
	errNoAnswerYet = errors.New("no answer from the server after the restart")
)

// answers are the documented "the data says no" errors: a write that
// returns one of them was not applied. Any other error leaves the write's
// outcome unknown (issue 18, item 9), and the writer re-reads to settle it.
var answers = append(slices.Clone(sentinels),
	account.ErrDenied, account.ErrNotEligible, account.ErrRemoved, account.ErrInvalid, account.ErrKeyReused,
	links.ErrDenied, links.ErrNotEligible, links.ErrInvalid, links.ErrInvalidOption,
	relink.ErrNotEligible, relink.ErrInvalid, relink.ErrWrongAccount)

type outcome uint8

const (
	applied outcome = iota // nil error: acknowledged
	refused                // a documented sentinel: not applied
	unknown                // anything else: re-read to settle
)

func outcomeOf(err error) outcome {
	if err == nil {
		return applied
	}
	for _, s := range answers {
		if errors.Is(err, s) {
			return refused
		}
	}
	return unknown
}

// TestDurability_A7_L1_K3_ImmediateStopUnder64Writers stops a PostgreSQL
// server running with the default durability settings (fsync and
// synchronous_commit on) with `pg_ctl stop -m immediate` while 64 writers
// create and edit accounts, send and pull funds through account.Service,
// redeem account links through links.Service and ask for relinks; starts
// it again; and repeats. Each writer owns its accounts and links, so it
// keeps an exact model of them, settling every write whose outcome is
// unknown by reading what the restarted server holds. Then:
//
//   - no acknowledged write is lost, and nothing is applied twice: every
//     account's version, name and balance are the model's;
//   - money is conserved: the platform's balance is the initial one plus
//     every settled pull minus every settled send, and it plus the
//     accounts' balances is the initial amount (A7, A8);
//   - a single-use link is redeemed at most once, before and after the
//     crash (L1): every redeemed link is stored used and redirects;
//   - of the relink requests four writers race to create for an account in
//     one window, at most one exists, and it is the acknowledged one (K3).
func TestDurability_A7_L1_K3_ImmediateStopUnder64Writers(t *testing.T) {
	srv := durableServerFromEnv(t)
	begin := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	h := newDurability(t, ctx, srv)

	done := make(chan struct{})
	writers := make([]*writer, racers)
	go func() {
		defer close(done)
		race(func(i int) {
			writers[i] = &writer{h: h, n: i, id: account.ID(fmt.Sprintf("acct_w%d", i)), extras: map[account.ID]bool{}}
			writers[i].run()
		})
	}()

	crashes, err := h.crashCycles(srv)
	h.stop.Store(true)
	h.serverUp() // release any writer still waiting
	<-done
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d writes acknowledged, %d refused, %d with an unknown outcome (%d settled as applied); %s; writers ran %v",
		h.acked.Load(), h.refused.Load(), h.unknown.Load(), h.settledApplied.Load(), strings.Join(crashes, "; "),
		time.Since(begin).Round(time.Millisecond))
	h.verify(writers)
}

// durability is the state the writers share: the stores and services over
// one pool, the count of acknowledged writes, and whether the server is
// down.
type durability struct {
	t        *testing.T
	ctx      context.Context
	db       *pgxpool.Pool
	accounts *account.Service
	astore   *pgstore.AccountStore
	lstore   *pgstore.LinkStore
	linkSvc  *links.Service
	rstore   *pgstore.RelinkStore

	stop                                    atomic.Bool
	acked, refused, unknown, settledApplied atomic.Int64
	target                                  atomic.Int64
	platformCents                           atomic.Int64 // the model: settled pulls minus settled sends
	mu                                      sync.Mutex
	down                                    chan struct{} // non-nil from just before a stop until after the restart
	reached                                 chan struct{} // closed when acked reaches target
	relinkTried                             map[relink.AccountID]bool
	relinkCreated                           map[relink.AccountID][]relink.RequestID
}

func newDurability(t *testing.T, ctx context.Context, srv durableServer) *durability {
	t.Helper()
	// The check is only as good as the server's settings.
	conn, err := pgx.Connect(ctx, srv.url)
	if err != nil {
		t.Fatalf("connect to %s: %v", durableURLEnv, err)
	}
	defer func() { _ = conn.Close(ctx) }()
	for _, name := range []string{"fsync", "synchronous_commit", "full_page_writes"} {
		var v string
		if err := conn.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != "on" {
			t.Fatalf("the durable server runs with %s = %s; this test needs PostgreSQL's default, on", name, v)
		}
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	schema := pgx.Identifier{"ck_durable_" + hex.EncodeToString(b[:])}.Sanitize()
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, srv.url)
		if err == nil {
			_, err = conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			_ = conn.Close(ctx)
		}
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})

	cfg, err := pgxpool.ParseConfig(srv.url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = poolConns
	cfg.ConnConfig.RuntimeParams["search_path"] = strings.Trim(schema, `"`)
	pgstore.CancelOnServer(cfg)
	db, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if err := pgstore.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	h := &durability{t: t, ctx: ctx, db: db,
		astore: pgstore.NewAccountStore(db), lstore: pgstore.NewLinkStore(db), rstore: pgstore.NewRelinkStore(db),
		relinkTried: map[relink.AccountID]bool{}, relinkCreated: map[relink.AccountID][]relink.RequestID{}}
	h.accounts = &account.Service{Store: h.astore, Clock: clocktest.New(t0)}
	// Links expire five minutes after t0; every visit is at t0+1m.
	h.linkSvc = &links.Service{Store: h.lstore, Accounts: h.astore, Clock: clocktest.New(t0.Add(time.Minute))}
	if _, err := h.astore.CreatePlatform(ctx, account.Platform{Country: "US", ProfileComplete: true,
		Balance: account.Balances{"usd": initialFunds}}); err != nil {
		t.Fatal(err)
	}
	return h
}

// crashCycles lets the writers make phaseWrites acknowledged writes, stops
// the server, starts it again, crashCycles times, then lets them make
// phaseWrites more. It returns how long each stop and start took.
func (h *durability) crashCycles(srv durableServer) ([]string, error) {
	var took []string
	for c := range crashCycles {
		if err := h.awaitWrites(phaseWrites); err != nil {
			return took, err
		}
		h.mu.Lock()
		h.down = make(chan struct{})
		h.mu.Unlock()
		stopAt := time.Now()
		if err := srv.crash(); err != nil {
			return took, fmt.Errorf("crash %d: %w", c+1, err)
		}
		startAt := time.Now()
		if err := srv.start(); err != nil {
			return took, fmt.Errorf("restart %d: %w", c+1, err)
		}
		// Connections to the old server are dead: drop them all.
		h.db.Reset()
		took = append(took, fmt.Sprintf("crash %d at %d acknowledged writes: stop %v, start %v", c+1, h.acked.Load(),
			startAt.Sub(stopAt).Round(time.Millisecond), time.Since(startAt).Round(time.Millisecond)))
		h.serverUp()
	}
	return took, h.awaitWrites(phaseWrites)
}

// awaitWrites waits until n more writes have been acknowledged.
func (h *durability) awaitWrites(n int64) error {
	h.mu.Lock()
	h.reached = make(chan struct{})
	reached := h.reached
	h.mu.Unlock()
	from := h.acked.Load()
	h.target.Store(from + n)
	select {
	case <-reached:
		return nil
	case <-h.ctx.Done():
		return fmt.Errorf("only %d of %d more writes acknowledged before the deadline", h.acked.Load()-from, n)
	}
}

// ack counts an acknowledged write.
func (h *durability) ack() {
	if h.acked.Add(1) == h.target.Load() {
		h.mu.Lock()
		close(h.reached)
		h.mu.Unlock()
	}
}

func (h *durability) serverUp() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.down != nil {
		close(h.down)
		h.down = nil
	}
}

// settle answers read (a read-only call whose error is nil or a documented
// answer such as ErrNotFound) once the server is up, retrying while the
// error is a fault: the pool may still hand out a connection that died.
func (h *durability) settle(read func() error) error {
	h.unknown.Add(1)
	h.mu.Lock()
	down := h.down
	h.mu.Unlock()
	if down != nil {
		select {
		case <-down:
		case <-h.ctx.Done():
			return h.ctx.Err()
		}
	}
	var err error
	for range 20 {
		if err = read(); outcomeOf(err) != unknown || h.ctx.Err() != nil {
			return err
		}
	}
	return fmt.Errorf("%w: %w", errNoAnswerYet, err)
}

// writer is one of the 64 writers and its exact model of what it owns: its
// account (every write to it bumps the version), the extra accounts it
// created, its links.
type writer struct {
	h       *durability
	n       int
	id      account.ID
	version uint64 // of account id
	name    string // its BusinessName
	cents   int64  // its usd balance
	extras  map[account.ID]bool
	links   []*modelLink
	relinks int
}

type modelLink struct {
	tok  links.Token
	used bool
}

func (w *writer) errorf(format string, args ...any) {
	w.h.t.Errorf("writer %d: %s", w.n, fmt.Sprintf(format, args...))
}

func (w *writer) run() {
	if !w.createOwn() {
		return
	}
	for k := 0; !w.h.stop.Load() && w.h.ctx.Err() == nil; k++ {
		switch k % 6 {
		case 0:
			w.createExtra(k)
		case 1:
			w.edit(k)
		case 2:
			w.move(k, true)
		case 3:
			w.move(k, false)
		case 4:
			w.link()
		case 5:
			w.relink()
		}
	}
}

// exists settles a Create: is the account there?
func (w *writer) exists(id account.ID) (bool, error) {
	var a account.Account
	err := w.h.settle(func() (err error) { a, err = w.h.astore.Get(w.h.ctx, id); return err })
	switch {
	case err == nil:
		if a.Version != 1 {
			w.errorf("account %s created once but at version %d", id, a.Version)
		}
		return true, nil
	case errors.Is(err, account.ErrNotFound):
		return false, nil
	}
	return false, err
}

func (w *writer) createOwn() bool {
	for range 10 {
		_, _, err := w.h.accounts.Create(w.h.ctx, adminRole, account.NewCustom(w.id, "US"))
		switch outcomeOf(err) {
		case applied:
			w.h.ack()
			w.version = 1
			return true
		case refused:
			w.errorf("create %s: %v", w.id, err)
			return false
		}
		ok, err := w.exists(w.id)
		if err != nil {
			w.errorf("settle create %s: %v", w.id, err)
			return false
		}
		if ok {
			w.h.settledApplied.Add(1)
			w.version = 1
			return true
		}
	}
	w.errorf("could not create %s", w.id)
	return false
}

func (w *writer) createExtra(k int) {
	id := account.ID(fmt.Sprintf("acct_w%d_%d", w.n, k))
	_, _, err := w.h.accounts.Create(w.h.ctx, adminRole, account.NewCustom(id, "US"))
	switch outcomeOf(err) {
	case applied:
		w.h.ack()
		w.extras[id] = true
	case refused:
		w.errorf("create %s: %v", id, err)
	case unknown:
		ok, err := w.exists(id)
		if err != nil {
			w.errorf("settle create %s: %v", id, err)
		}
		if ok {
			w.h.settledApplied.Add(1)
		}
		w.extras[id] = ok
	}
}

// settleOwn settles a write to the writer's own account made at version
// w.version: the writer is its only writer, so the write was applied if
// and only if the version moved on by one.
func (w *writer) settleOwn(what string) (bool, account.Account) {
	var a account.Account
	err := w.h.settle(func() (err error) { a, err = w.h.astore.Get(w.h.ctx, w.id); return err })
	if err != nil {
		w.errorf("settle %s: %v", what, err)
		return false, a
	}
	switch a.Version {
	case w.version + 1:
		w.h.settledApplied.Add(1)
		return true, a
	case w.version:
		return false, a
	}
	if a.Version < w.version {
		w.errorf("%s made at version %d; the account is back at version %d: an acknowledged write was lost", what, w.version, a.Version)
	} else {
		w.errorf("%s made at version %d; the account is at version %d: a write was applied twice", what, w.version, a.Version)
	}
	return false, a
}

func (w *writer) edit(k int) {
	name := fmt.Sprintf("writer %d, edit %d", w.n, k)
	_, _, err := w.h.accounts.EditAccountInformation(w.h.ctx, adminRole, w.id, account.Info{BusinessName: name})
	switch outcomeOf(err) {
	case applied:
		w.h.ack()
	case refused:
		w.errorf("edit: %v (nobody else writes the account)", err)
		return
	case unknown:
		if ok, _ := w.settleOwn("edit"); !ok {
			return
		}
	}
	w.version++
	w.name = name
}

// move sends (or pulls) a few cents to (from) the writer's account through
// account.Service with an idempotency key made of the writer and k, and
// settles an unknown outcome by calling again with the same key until the
// call answers: the key makes the retry return the first result if the
// first call was applied, and apply it once if it was not (A7, A8).
func (w *writer) move(k int, send bool) {
	cents := int64(k%97 + 1)
	if !send {
		if w.cents == 0 {
			return
		}
		cents = min(cents, w.cents)
	}
	m := account.Money{Amount: decimal.New(cents, -2), Currency: "usd"}
	call, what := func(key string) error {
		_, err := w.h.accounts.SendFunds(w.h.ctx, adminRole, w.id, m, account.ToBalance, key)
		return err
	}, "send"
	if !send {
		call, what = func(key string) error { _, err := w.h.accounts.PullFunds(w.h.ctx, adminRole, w.id, m, key); return err }, "pull"
	}
	what = fmt.Sprintf("%s %v", what, m)
	key := fmt.Sprintf("%s-%d", w.id, k)
	err := call(key)
	if outcomeOf(err) == unknown {
		err = w.h.settle(func() error { return call(key) })
		if err == nil {
			w.h.settledApplied.Add(1)
		}
	}
	switch outcomeOf(err) {
	case applied:
		w.h.ack()
	case refused:
		// Another writer's move changed the platform first; nothing moved.
		w.h.refused.Add(1)
		if !errors.Is(err, account.ErrConflict) {
			w.errorf("%s: %v", what, err)
		}
		return
	case unknown:
		w.errorf("%s: no answer after the restart: %v", what, err)
		return
	}
	w.version++
	if send {
		w.cents += cents
		w.h.platformCents.Add(-cents)
	} else {
		w.cents -= cents
		w.h.platformCents.Add(cents)
	}
}

// link stores an account link for the writer's account and visits it
// twice: the first visit proceeds, the second redirects as already used.
func (w *writer) link() {
	tok, err := links.NewToken(nil)
	if err != nil {
		w.errorf("token: %v", err)
		return
	}
	hash := tok.Hash()
	err = w.h.lstore.CreateAccountLink(w.h.ctx, links.AccountLink{Hash: hash, Chain: hash, Account: w.id,
		Created: t0, ChainStarted: t0, ExpiresAt: t0.Add(links.DefaultAccountLinkTTL), Params: durableParams})
	switch outcomeOf(err) {
	case applied:
		w.h.ack()
	case refused:
		w.errorf("create link: %v", err)
		return
	case unknown:
		err := w.h.settle(func() error { _, err := w.h.lstore.AccountLink(w.h.ctx, hash); return err })
		if err != nil {
			if !errors.Is(err, links.ErrNotFound) {
				w.errorf("settle create link: %v", err)
			}
			return
		}
		w.h.settledApplied.Add(1)
	}
	l := &modelLink{tok: tok}
	w.links = append(w.links, l)
	w.visit(l)
	w.visit(l)
}

// visit redeems l through links.Service and checks the answer against the
// model: Proceed exactly while the link is unused.
func (w *writer) visit(l *modelLink) {
	r, err := w.h.linkSvc.Redeem(w.h.ctx, l.tok)
	switch outcomeOf(err) {
	case applied:
		switch {
		case r.Outcome == links.Proceed && l.used:
			w.errorf("a used link proceeded again: redeemed twice")
		case r.Outcome == links.Proceed:
			w.h.ack()
			l.used = true
		case r.Reason == links.ReasonLinkAlreadyUsed && !l.used:
			w.errorf("an unused link redirected as already used")
		case r.Reason != links.ReasonLinkAlreadyUsed:
			w.errorf("a stored, unexpired link redirected: %v", r.Reason)
		}
	case refused:
		w.errorf("redeem: %v", err)
	case unknown:
		var got links.AccountLink
		err := w.h.settle(func() (err error) { got, err = w.h.lstore.AccountLink(w.h.ctx, l.tok.Hash()); return err })
		switch {
		case err != nil:
			w.errorf("settle redeem: %v", err)
		case l.used && !got.Used():
			w.errorf("a redeemed link is unused after the restart: an acknowledged redemption was lost")
		case !l.used && got.Used():
			w.h.settledApplied.Add(1)
			l.used = true
		}
	}
}

// relink asks for a limited relink of an account that three other writers
// ask for too, in one window: at most one of the four requests is created.
func (w *writer) relink() {
	acct := relink.AccountID(fmt.Sprintf("fca_%d_%d", w.n%relinkGroups, w.relinks))
	id := relink.RequestID(fmt.Sprintf("relreq_w%d_%d", w.n, w.relinks))
	w.relinks++
	w.h.mu.Lock()
	w.h.relinkTried[acct] = true
	w.h.mu.Unlock()
	_, err := w.h.rstore.CreateRequest(w.h.ctx, relink.NewRequest(id, acct, relink.Ask{Method: relink.MethodHostedDashboard}), t0)
	switch outcomeOf(err) {
	case applied:
		w.h.ack()
	case refused:
		w.h.refused.Add(1)
		if !errors.Is(err, relink.ErrRateLimited) {
			w.errorf("relink request %s: %v", id, err)
		}
		return
	case unknown:
		err := w.h.settle(func() error { _, err := w.h.rstore.Get(w.h.ctx, id); return err })
		if err != nil {
			if !errors.Is(err, relink.ErrNotFound) {
				w.errorf("settle relink request %s: %v", id, err)
			}
			return
		}
		w.h.settledApplied.Add(1)
	}
	w.h.mu.Lock()
	w.h.relinkCreated[acct] = append(w.h.relinkCreated[acct], id)
	w.h.mu.Unlock()
}

// verify compares what the server holds after the last restart with the
// writers' models.
func (h *durability) verify(writers []*writer) {
	t, ctx := h.t, h.ctx
	total := decimal.Zero
	for _, w := range writers {
		if w == nil || w.version == 0 {
			continue
		}
		a, err := h.astore.Get(ctx, w.id)
		if err != nil {
			t.Errorf("account %s: %v", w.id, err)
			continue
		}
		want := decimal.New(w.cents, -2)
		switch {
		case a.Version < w.version:
			t.Errorf("account %s at version %d, want %d: %d acknowledged writes lost", w.id, a.Version, w.version, w.version-a.Version)
		case a.Version > w.version:
			t.Errorf("account %s at version %d, want %d: %d writes applied twice or unaccounted", w.id, a.Version, w.version, a.Version-w.version)
		case a.BusinessName != w.name || !a.Balance.Get("usd").Amount.Equal(want):
			t.Errorf("account %s holds name %q, balance %v; want %q, %v", w.id, a.BusinessName, a.Balance.Get("usd").Amount, w.name, want)
		}
		total = total.Add(a.Balance.Get("usd").Amount)
		for id, ok := range w.extras {
			_, err := h.astore.Get(ctx, id)
			if got := err == nil; got != ok || (err != nil && !errors.Is(err, account.ErrNotFound)) {
				t.Errorf("account %s exists = %v (%v), want %v", id, got, err, ok)
			}
		}
		for _, l := range w.links {
			got, err := h.lstore.AccountLink(ctx, l.tok.Hash())
			if err != nil || got.Used() != l.used {
				t.Errorf("writer %d: link used = %v (%v), want %v", w.n, got.Used(), err, l.used)
				continue
			}
			// One more visit after the restarts: a redeemed link stays
			// redeemed; an unused one proceeds, once.
			w.visit(l)
		}
	}
	p, err := h.astore.GetPlatform(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantPlatform := initialFunds.Add(decimal.New(h.platformCents.Load(), -2))
	if got := p.Balance.Get("usd").Amount; !got.Equal(wantPlatform) {
		t.Errorf("platform balance %v, want %v (the initial %v plus settled pulls minus settled sends)", got, wantPlatform, initialFunds)
	}
	if sum := total.Add(p.Balance.Get("usd").Amount); !sum.Equal(initialFunds) {
		t.Errorf("platform plus accounts hold %v usd, want %v: money created or lost", sum, initialFunds)
	}
	for acct := range h.relinkTried {
		list, err := h.rstore.ListByAccount(ctx, acct)
		if err != nil {
			t.Errorf("relink requests of %s: %v", acct, err)
			continue
		}
		var got []relink.RequestID
		for _, r := range list {
			got = append(got, r.ID)
		}
		want := h.relinkCreated[acct]
		slices.Sort(got)
		slices.Sort(want)
		if len(got) > 1 || !slices.Equal(got, want) {
			t.Errorf("relink requests of %s in one window: %v, want %v (at most one)", acct, got, want)
		}
	}
}
