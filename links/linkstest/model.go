package linkstest

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/roles"
)

// The rapid model clauses run every case against one store per clause, so
// that a Store backed by a server (one schema and one connection pool per
// store) can run them at thousands of cases. Cases share the store but not
// its records: every ID a case uses — account IDs, remediation link IDs,
// token names — is its case's namespace followed by a drawn part. The
// namespace is a fixed-width case counter, the same for every ID of a case,
// so it cannot change how a case's IDs compare with one another: the drawn
// parts decide everything the case observes, and a failing case replays
// exactly from rapid's seed or fail file.

// namespaces hands out one namespace per rapid case of a clause.
type namespaces struct{ n atomic.Int64 }

func (ns *namespaces) next() string { return fmt.Sprintf("c%08d", ns.n.Add(1)) }

// drawFresh draws an int in [0, 9999] that used does not hold yet and
// records it: IDs are part of the drawn state.
func drawFresh(t *rapid.T, label string, used map[int]bool) int {
	k := rapid.IntRange(0, 9999).Filter(func(k int) bool { return !used[k] }).Draw(t, label)
	used[k] = true
	return k
}

// testModels runs the two model clauses, each against one store.
func testModels(t *testing.T, newStore func(t *testing.T) links.Store) {
	t.Run("Model/L1_AccountLinks", func(t *testing.T) {
		s := newStore(t)
		var ns namespaces
		rapid.Check(t, func(rt *rapid.T) {
			m := &accountLinkMachine{s: s, ns: ns.next(), now: t0, model: map[string]*modelLink{}, used: map[int]bool{}}
			rt.Repeat(rapid.StateMachineActions(m))
		})
	})
	t.Run("Model/L6_L10_RemediationLinks", func(t *testing.T) {
		s := newStore(t)
		var ns namespaces
		rapid.Check(t, func(rt *rapid.T) {
			n := ns.next()
			m := &remediationMachine{
				s: s, ns: n, now: t0,
				accts:   []account.ID{account.ID("acct_" + n + "_a"), account.ID("acct_" + n + "_b")},
				cur:     map[account.ID]*modelRemediation{},
				tokenOf: map[string]*modelRemediation{},
				usedIDs: map[int]bool{}, usedToks: map[int]bool{},
			}
			// Every account starts with a link, so that few steps are
			// rejected and sequences run deep.
			for _, a := range m.accts {
				m.generate(rt, a)
			}
			rt.Repeat(rapid.StateMachineActions(m))
		})
	})
}

// modelLink is the plain model of one account link.
type modelLink struct {
	expires time.Time
	used    bool
}

// accountLinkMachine checks a Store against a plain model: a link is
// consumed at most once, never at or after its expiry, and a refused
// redemption changes nothing.
type accountLinkMachine struct {
	s     links.Store
	ns    string
	now   time.Time
	model map[string]*modelLink
	names []string
	used  map[int]bool
}

func (m *accountLinkMachine) pick(t *rapid.T) string {
	if len(m.names) == 0 || rapid.Bool().Draw(t, "unknownLink") {
		return m.ns + "-never-created"
	}
	return rapid.SampledFrom(m.names).Draw(t, "link")
}

func (m *accountLinkMachine) Create(t *rapid.T) {
	name := fmt.Sprintf("%s-link-%04d", m.ns, drawFresh(t, "linkID", m.used))
	ttl := time.Duration(rapid.IntRange(1, 600).Draw(t, "ttlSeconds")) * time.Second
	l := accountLink(name, account.ID("acct_"+m.ns), m.now, ttl)
	if err := m.s.CreateAccountLink(context.Background(), l); err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	m.names = append(m.names, name)
	m.model[name] = &modelLink{expires: l.ExpiresAt}
}

func (m *accountLinkMachine) Redeem(t *rapid.T) {
	name := m.pick(t)
	_, err := m.s.RedeemAccountLink(context.Background(), hash(name), m.now)
	ml, ok := m.model[name]
	var want error
	switch {
	case !ok:
		want = links.ErrNotFound
	case ml.used:
		want = links.ErrAlreadyUsed
	case !m.now.Before(ml.expires):
		want = links.ErrExpired
	}
	if want == nil {
		if err != nil {
			t.Fatalf("redeem %s at %v: %v, want success", name, m.now, err)
		}
		ml.used = true
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("redeem %s at %v: %v, want %v", name, m.now, err, want)
	}
}

func (m *accountLinkMachine) Advance(t *rapid.T) {
	m.now = m.now.Add(time.Duration(rapid.IntRange(0, 400).Draw(t, "advanceSeconds")) * time.Second)
}

func (m *accountLinkMachine) Check(t *rapid.T) {
	for _, name := range m.names {
		ml := m.model[name]
		got, err := m.s.AccountLink(context.Background(), hash(name))
		if err != nil {
			t.Fatalf("get %s: %v", name, err)
		}
		if got.Used() != ml.used {
			t.Fatalf("%s: store says used=%v, model %v", name, got.Used(), ml.used)
		}
		if got.Used() && !got.UsedAt.Before(got.ExpiresAt) {
			t.Fatalf("%s was consumed at %v, not before its expiry %v", name, got.UsedAt, got.ExpiresAt)
		}
	}
}

// modelRemediation is the plain model of one remediation link.
type modelRemediation struct {
	id                                   links.LinkID
	acct                                 account.ID
	created, expires, revoked            time.Time
	pending                              links.FailureReason
	failures, wrong, resets, acks, creds int
	lastChangedBy                        string
	version                              uint64
	tokens                               []string // live tokens, oldest first
	gone                                 bool     // replaced by a newer link
	goneChecked                          bool     // the store was seen without it
}

func (l *modelRemediation) active(now time.Time) bool {
	return l != nil && !l.gone && l.revoked.IsZero() && now.Before(l.expires)
}

func (l *modelRemediation) securityCheck() bool {
	return l.pending != 0 && l.wrong >= links.WrongInformationLimit && l.creds <= 0
}

// link is the record the store must hold for l.
func (l *modelRemediation) link() links.RemediationLink {
	return links.RemediationLink{
		ID: l.id, Account: l.acct, CreatedBy: "usr_1", Created: l.created, ExpiresAt: l.expires,
		Pending: l.pending, Failures: l.failures, WrongInformation: l.wrong, Resets: l.resets,
		Acknowledgements: l.acks, ResetCredits: l.creds, LastChangedBy: l.lastChangedBy,
		RevokedAt: l.revoked, Version: l.version,
	}
}

func (l *modelRemediation) live(tok string) bool {
	for _, x := range l.tokens {
		if x == tok {
			return true
		}
	}
	return false
}

var modelAdmin = roles.User{ID: "usr_admin", Roles: roles.NewSet(roles.Admin)}

// remediationMachine drives a Store's remediation links — generate, add a
// token, open, fail, reset, acknowledge, revoke, a stale update — the way
// links.Service does, and checks every answer and the whole stored state
// against a plain model after every step, so that a refused operation that
// changed anything is caught.
type remediationMachine struct {
	s        links.Store
	ns       string
	now      time.Time
	accts    []account.ID
	cur      map[account.ID]*modelRemediation
	all      []*modelRemediation
	tokens   []string // every token handed out, in order
	tokenOf  map[string]*modelRemediation
	usedIDs  map[int]bool
	usedToks map[int]bool
}

func (m *remediationMachine) newToken(t *rapid.T) string {
	tok := fmt.Sprintf("%s-tok-%04d", m.ns, drawFresh(t, "token", m.usedToks))
	m.tokens = append(m.tokens, tok)
	return tok
}

// current draws an account and returns its current link, skipping the step
// when it has none.
func (m *remediationMachine) current(t *rapid.T) *modelRemediation {
	l := m.cur[rapid.SampledFrom(m.accts).Draw(t, "account")]
	if l == nil {
		t.Skip("no remediation link for the account yet")
	}
	return l
}

func (m *remediationMachine) read(t *rapid.T, l *modelRemediation) links.RemediationLink {
	got, err := m.s.RemediationLink(context.Background(), l.id)
	if err != nil {
		t.Fatalf("read %s: %v", l.id, err)
	}
	return got
}

// Generate asks for a remediation link for a drawn account.
func (m *remediationMachine) Generate(t *rapid.T) {
	m.generate(t, rapid.SampledFrom(m.accts).Draw(t, "account"))
}

// generate creates a link for acct, as Service.GenerateRemediationLink
// does, and checks the answer against the model.
func (m *remediationMachine) generate(t *rapid.T, acct account.ID) {
	id := links.LinkID(fmt.Sprintf("rml_%s_%04d", m.ns, drawFresh(t, "linkID", m.usedIDs)))
	tok := m.newToken(t)
	l := links.RemediationLink{ID: id, Account: acct, CreatedBy: "usr_1", Created: m.now, ExpiresAt: m.now.Add(links.RemediationTTL)}
	got, err := m.s.CreateRemediationLink(context.Background(), l, hash(tok), m.now)
	if c := m.cur[acct]; c.active(m.now) {
		if !errors.Is(err, links.ErrExists) {
			t.Fatalf("create while %s is active: %v, want ErrExists", c.id, err)
		}
		if diff := cmp.Diff(c.link(), got); diff != "" {
			t.Fatalf("refused create returned (-active +got):\n%s", diff)
		}
		return
	}
	if err != nil {
		t.Fatalf("create %s: %v", id, err)
	}
	if c := m.cur[acct]; c != nil {
		c.gone, c.tokens = true, nil
	}
	n := &modelRemediation{id: id, acct: acct, created: m.now, expires: l.ExpiresAt, version: 1, tokens: []string{tok}}
	m.cur[acct] = n
	m.all = append(m.all, n)
	m.tokenOf[tok] = n
	if diff := cmp.Diff(n.link(), got); diff != "" {
		t.Fatalf("created link (-model +got):\n%s", diff)
	}
}

func (m *remediationMachine) AddToken(t *rapid.T) {
	l := m.current(t)
	tok := m.newToken(t)
	err := m.s.AddRemediationToken(context.Background(), l.id, hash(tok), m.now)
	if !l.active(m.now) {
		if !errors.Is(err, links.ErrExpired) {
			t.Fatalf("add a token to inactive %s: %v, want ErrExpired", l.id, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("add a token to %s: %v", l.id, err)
	}
	m.tokenOf[tok] = l
	l.tokens = append(l.tokens, tok)
	if n := len(l.tokens) - links.MaxRemediationTokens; n > 0 {
		l.tokens = l.tokens[n:]
	}
}

func (m *remediationMachine) Open(t *rapid.T) {
	if len(m.tokens) == 0 {
		t.Skip("no token yet")
	}
	tok := rapid.SampledFrom(m.tokens).Draw(t, "openToken")
	got, err := m.s.RemediationLinkByToken(context.Background(), hash(tok))
	l := m.tokenOf[tok]
	if l == nil || !l.live(tok) {
		if !errors.Is(err, links.ErrNotFound) {
			t.Fatalf("token %s, retired or never stored, reached %+v, %v", tok, got, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("open with live token %s: %v", tok, err)
	}
	if diff := cmp.Diff(l.link(), got); diff != "" {
		t.Fatalf("token %s reached (-model +got):\n%s", tok, diff)
	}
	if want := l.active(m.now) && l.pending == 0; got.CanOpen(m.now).Allowed != want {
		t.Fatalf("CanOpen at %v = %v, model %v", m.now, got.CanOpen(m.now), want)
	}
}

// write stores next, which the model allowed, and checks the answer.
func (m *remediationMachine) write(t *rapid.T, l *modelRemediation, next links.RemediationLink) {
	got, err := m.s.UpdateRemediationLink(context.Background(), next)
	if err != nil {
		t.Fatalf("update %s: %v", l.id, err)
	}
	l.version++
	if diff := cmp.Diff(l.link(), got); diff != "" {
		t.Fatalf("updated link (-model +got):\n%s", diff)
	}
}

func (m *remediationMachine) Fail(t *rapid.T) {
	l := m.current(t)
	f := rapid.SampledFrom([]links.FailureReason{links.FailureWrongInformation, links.FailureWrongInformation,
		links.FailureNotRepresentative, links.FailureInsufficientInformation}).Draw(t, "failure")
	next, d, err := m.read(t, l).RecordFailure(f, m.now)
	if err != nil {
		t.Fatal(err)
	}
	if want := l.active(m.now) && l.pending == 0; d.Allowed != want {
		t.Fatalf("failure on %s allowed=%v, model %v", l.id, d.Allowed, want)
	}
	if !d.Allowed {
		return
	}
	l.pending, l.failures = f, l.failures+1
	if f == links.FailureWrongInformation {
		l.wrong++
	}
	m.write(t, l, next)
}

func (m *remediationMachine) Reset(t *rapid.T) {
	l := m.current(t)
	next, d := m.read(t, l).Reset(roles.Default(), modelAdmin, m.now)
	if want := l.active(m.now) && l.pending != 0 && !l.securityCheck(); d.Allowed != want {
		t.Fatalf("reset of %s allowed=%v (%v), model %v", l.id, d.Allowed, d, want)
	}
	if !d.Allowed {
		return
	}
	if l.wrong >= links.WrongInformationLimit {
		l.creds--
	}
	l.pending, l.resets, l.lastChangedBy = 0, l.resets+1, modelAdmin.ID
	m.write(t, l, next)
}

func (m *remediationMachine) Acknowledge(t *rapid.T) {
	l := m.current(t)
	next, d := m.read(t, l).Acknowledge(roles.Default(), modelAdmin, m.now)
	if want := l.active(m.now) && l.securityCheck(); d.Allowed != want {
		t.Fatalf("acknowledgement on %s allowed=%v (%v), model %v", l.id, d.Allowed, d, want)
	}
	if !d.Allowed {
		return
	}
	l.creds, l.acks, l.lastChangedBy = links.ResetsPerAcknowledgement, l.acks+1, modelAdmin.ID
	m.write(t, l, next)
}

func (m *remediationMachine) Revoke(t *rapid.T) {
	l := m.current(t)
	got, err := m.s.RevokeRemediationLink(context.Background(), l.id, "usr_2", m.now)
	if !l.active(m.now) {
		if !errors.Is(err, links.ErrExpired) {
			t.Fatalf("revoke inactive %s: %v, want ErrExpired", l.id, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("revoke %s: %v", l.id, err)
	}
	l.revoked, l.lastChangedBy, l.version, l.tokens = m.now, "usr_2", l.version+1, nil
	if diff := cmp.Diff(l.link(), got); diff != "" {
		t.Fatalf("revoked link (-model +got):\n%s", diff)
	}
}

// StaleUpdate writes with an outdated version, as the loser of a race
// does: ErrConflict, nothing changed.
func (m *remediationMachine) StaleUpdate(t *rapid.T) {
	l := m.current(t)
	if l.version < 2 {
		t.Skip("no older version")
	}
	stale := m.read(t, l)
	stale.Version = uint64(rapid.IntRange(1, int(l.version)-1).Draw(t, "staleVersion"))
	stale.Resets++
	if _, err := m.s.UpdateRemediationLink(context.Background(), stale); !errors.Is(err, links.ErrConflict) {
		t.Fatalf("update of %s with version %d (stored %d): %v, want ErrConflict", l.id, stale.Version, l.version, err)
	}
}

func (m *remediationMachine) Advance(t *rapid.T) {
	if rapid.Bool().Draw(t, "bigStep") {
		m.now = m.now.Add(time.Duration(rapid.IntRange(1, 40).Draw(t, "days")) * 24 * time.Hour)
	} else {
		m.now = m.now.Add(time.Duration(rapid.IntRange(0, 400).Draw(t, "seconds")) * time.Second)
	}
}

// Check compares the stored state with the model: each account's current
// link, field by field; replaced links gone; the L10 invariants.
func (m *remediationMachine) Check(t *rapid.T) {
	ctx := context.Background()
	for _, acct := range m.accts {
		l := m.cur[acct]
		got, err := m.s.RemediationLinkByAccount(ctx, acct)
		if l == nil {
			if !errors.Is(err, links.ErrNotFound) {
				t.Fatalf("account %s has no link in the model; store: %+v, %v", acct, got, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("current link of %s: %v", acct, err)
		}
		if diff := cmp.Diff(l.link(), got); diff != "" {
			t.Fatalf("current link of %s (-model +store):\n%s", acct, diff)
		}
		if got.SecurityCheckPending() != l.securityCheck() {
			t.Fatalf("%s: SecurityCheckPending %v, model %v", l.id, got.SecurityCheckPending(), l.securityCheck())
		}
		if l.creds < 0 || l.creds > links.ResetsPerAcknowledgement {
			t.Fatalf("%s: %d reset credits", l.id, l.creds)
		}
		if !m.now.Before(got.ExpiresAt) && got.CanOpen(m.now).Allowed {
			t.Fatalf("%s opens after its 90 days", l.id)
		}
	}
	for _, l := range m.all {
		if !l.gone || l.goneChecked {
			continue
		}
		if got, err := m.s.RemediationLink(ctx, l.id); !errors.Is(err, links.ErrNotFound) {
			t.Fatalf("replaced link %s still stored: %+v, %v", l.id, got, err)
		}
		l.goneChecked = true
	}
}
