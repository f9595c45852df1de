package links_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/links"
)

// The plain model, written apart from the production code.

type modelAccountLink struct {
	tok     links.Token
	expires time.Time
	used    bool
}

type modelRemediation struct {
	id        links.LinkID
	tok       links.Token
	expires   time.Time
	pending   links.FailureReason
	wrongInfo int
	credits   int
	acks      int
	// gatedResets counts resets made once four wrong-information failures
	// were recorded.
	gatedResets int
}

func (m *modelRemediation) active(now time.Time) bool { return m != nil && now.Before(m.expires) }

// machine drives a Service through random operations and checks every
// answer against the model.
type machine struct {
	s     *links.Service
	clock *clocktest.Fake
	acct  account.Account
	al    []*modelAccountLink
	rl    *modelRemediation
}

func (m *machine) now() time.Time { return m.clock.Now() }

func (m *machine) CreateAccountLink(t *rapid.T) {
	got, err := m.s.CreateAccountLink(ctx, owner, m.acct, onboarding(true))
	if err != nil {
		t.Fatal(err)
	}
	m.al = append(m.al, &modelAccountLink{tok: got.Token, expires: m.now().Add(links.DefaultAccountLinkTTL)})
}

func (m *machine) RedeemAccountLink(t *rapid.T) {
	if len(m.al) == 0 {
		t.Skip("no account link yet")
	}
	l := rapid.SampledFrom(m.al).Draw(t, "accountLink")
	r, err := m.s.Redeem(ctx, l.tok)
	if err != nil {
		t.Fatal(err)
	}
	want := links.Outcome(links.Redirect)
	if !l.used && m.now().Before(l.expires) {
		want = links.Proceed
	}
	if r.Outcome != want {
		t.Fatalf("redeem at %v (expires %v, used %v): %v (%v), model says %v", m.now(), l.expires, l.used, r.Outcome, r.Reason, want)
	}
	if want == links.Proceed {
		l.used = true
	}
}

func (m *machine) AdvanceClock(t *rapid.T) {
	var d time.Duration
	if rapid.Bool().Draw(t, "bigStep") {
		d = time.Duration(rapid.IntRange(1, 40).Draw(t, "days")) * 24 * time.Hour
	} else {
		d = time.Duration(rapid.IntRange(0, 400).Draw(t, "seconds")) * time.Second
	}
	m.clock.Advance(d)
}

func (m *machine) Generate(t *rapid.T) {
	got, err := m.s.GenerateRemediationLink(ctx, admin, m.acct)
	if err != nil {
		t.Fatal(err)
	}
	if m.rl.active(m.now()) {
		if got.New || got.Link.ID != m.rl.id {
			t.Fatalf("generate while %v is active gave %v (new %v)", m.rl.id, got.Link.ID, got.New)
		}
		m.rl.tok = got.Token
		return
	}
	if !got.New || !got.Link.ExpiresAt.Equal(m.now().Add(links.RemediationTTL)) {
		t.Fatalf("generate with no active link: new %v, expires %v", got.New, got.Link.ExpiresAt)
	}
	m.rl = &modelRemediation{id: got.Link.ID, tok: got.Token, expires: got.Link.ExpiresAt}
}

// refused checks that a refused operation left the stored link unchanged.
func (m *machine) snapshot(t *rapid.T) links.RemediationLink {
	l, err := m.s.Store.RemediationLink(ctx, m.rl.id)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func (m *machine) expectRefusal(t *rapid.T, what string, before links.RemediationLink, err error) {
	if err == nil {
		t.Fatalf("%s was allowed; the model refuses it", what)
	}
	if after := m.snapshot(t); !cmp.Equal(before, after) {
		t.Fatalf("refused %s changed the link:\n%s", what, cmp.Diff(before, after))
	}
}

func (m *machine) OpenRemediation(t *rapid.T) {
	if m.rl == nil {
		t.Skip("no remediation link yet")
	}
	_, err := m.s.OpenRemediationLink(ctx, m.rl.tok)
	want := m.rl.active(m.now()) && m.rl.pending == 0
	if (err == nil) != want {
		t.Fatalf("open at %v (expires %v, pending %v): %v, model allows %v", m.now(), m.rl.expires, m.rl.pending, err, want)
	}
}

func (m *machine) FailVerification(t *rapid.T) {
	if m.rl == nil {
		t.Skip("no remediation link yet")
	}
	f := rapid.SampledFrom([]links.FailureReason{links.FailureWrongInformation,
		links.FailureWrongInformation, links.FailureNotRepresentative,
		links.FailureInsufficientInformation}).Draw(t, "failureReason")
	before := m.snapshot(t)
	_, _, err := m.s.RecordVerificationFailure(ctx, m.rl.id, f)
	if !m.rl.active(m.now()) || m.rl.pending != 0 {
		m.expectRefusal(t, "failure", before, err)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	m.rl.pending = f
	if f == links.FailureWrongInformation {
		m.rl.wrongInfo++
	}
}

func (m *machine) Acknowledge(t *rapid.T) {
	if m.rl == nil {
		t.Skip("no remediation link yet")
	}
	before := m.snapshot(t)
	_, err := m.s.AcknowledgeSecurityCheck(ctx, admin, m.rl.id)
	if !m.rl.active(m.now()) || m.rl.pending == 0 || m.rl.wrongInfo < 4 || m.rl.credits > 0 {
		m.expectRefusal(t, "acknowledgement", before, err)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	m.rl.credits = 4
	m.rl.acks++
}

func (m *machine) Reset(t *rapid.T) {
	if m.rl == nil {
		t.Skip("no remediation link yet")
	}
	before := m.snapshot(t)
	_, err := m.s.ResetRemediationLink(ctx, analyst, m.rl.id)
	gated := m.rl.wrongInfo >= 4
	if !m.rl.active(m.now()) || m.rl.pending == 0 || (gated && m.rl.credits == 0) {
		m.expectRefusal(t, "reset", before, err)
		if m.rl.active(m.now()) && m.rl.pending != 0 && !errors.Is(err, links.ErrSecurityCheckRequired) {
			t.Fatalf("gated reset refused with %v, want ErrSecurityCheckRequired", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	m.rl.pending = 0
	if gated {
		m.rl.credits--
		m.rl.gatedResets++
	}
}

func (m *machine) Check(t *rapid.T) {
	for _, l := range m.al {
		got, err := m.s.Store.AccountLink(ctx, l.tok.Hash())
		if err != nil {
			t.Fatal(err)
		}
		if got.Used() != l.used || (got.Used() && !got.UsedAt.Before(got.ExpiresAt)) {
			t.Fatalf("account link: store used=%v at %v (expires %v), model used=%v", got.Used(), got.UsedAt, got.ExpiresAt, l.used)
		}
	}
	if m.rl == nil {
		return
	}
	got := m.snapshot(t)
	if got.Pending != m.rl.pending || got.WrongInformation != m.rl.wrongInfo ||
		got.ResetCredits != m.rl.credits || got.Acknowledgements != m.rl.acks {
		t.Fatalf("remediation link %+v, model %+v", got, *m.rl)
	}
	// Each acknowledgement allows exactly four more resets.
	if m.rl.gatedResets > 4*m.rl.acks || m.rl.gatedResets != 4*m.rl.acks-m.rl.credits {
		t.Fatalf("%d gated resets after %d acknowledgements (%d credits left)", m.rl.gatedResets, m.rl.acks, m.rl.credits)
	}
	// The security check holds until acknowledged.
	if got.SecurityCheckPending() != (m.rl.pending != 0 && m.rl.wrongInfo >= 4 && m.rl.credits == 0) {
		t.Fatalf("SecurityCheckPending = %v disagrees with the model", got.SecurityCheckPending())
	}
	// A remediation link is never usable after 90 days.
	if !m.now().Before(got.ExpiresAt) && got.CanOpen(m.now()).Allowed {
		t.Fatal("an expired remediation link opens")
	}
}

func TestLinks_StateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := clocktest.New(t0)
		m := &machine{
			s:     &links.Service{Store: links.NewMemoryStore(), Accounts: &knownAccounts{}, Clock: c, Rand: seeded(rapid.Uint64().Draw(t, "seed"))},
			clock: c,
			acct:  custom(),
		}
		t.Repeat(rapid.StateMachineActions(m))
	})
}
