package links_test

import (
	"encoding/json"
	"errors"
	"flag"
	"github.com/connectkit/connectkit/account"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/internal/golden"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/roles"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// roundTrip marshals d and reads it back.
func roundTrip(t *testing.T, d links.Decision) links.Decision {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatalf("marshal %v: %v", d, err)
	}
	var got links.Decision
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	return got
}

// TestDecisionJSON_L1_L12_RoundTripEveryReasonAndOp checks that every
// reason of every rule, under every operation, and decisions carrying a
// role decision or a retry time, read back exactly.
func TestDecisionJSON_L1_L12_RoundTripEveryReasonAndOp(t *testing.T) {
	var cases []links.Decision
	for _, op := range links.AllOps() {
		cases = append(cases, links.Decision{Op: op, Allowed: true})
		for _, r := range links.AllReasons() {
			cases = append(cases, links.Decision{Op: op, Reasons: links.ReasonsOf(r)})
		}
	}
	all := links.ReasonsOf(links.AllReasons()...)
	cases = append(cases,
		links.Decision{Op: links.OpRefreshAccountLink, Reasons: all},
		links.Decision{Op: links.OpRefreshAccountLink, Reasons: links.ReasonsOf(links.ReasonRefreshLimitExceeded),
			NextPossibleAt: time.Date(2026, 3, 1, 13, 0, 0, 0, time.UTC)},
		links.CanGenerateRemediationLink(roles.Default(), roles.NewSet(roles.TransferAnalyst), custom()),
		links.CanGenerateRemediationLink(roles.Default(), roles.NewSet(roles.Admin), custom()),
		links.CanGenerateRemediationLink(roles.Default(), 0, custom()),
	)
	for _, d := range cases {
		if got := roundTrip(t, d); !got.Equal(d) {
			t.Fatalf("round trip of %v:\n%s", d, cmp.Diff(d, got))
		}
	}
}

// TestReason_L1_L12_TextRoundTrip checks MarshalText/UnmarshalText of every
// reason and that undeclared values and unknown codes are refused.
func TestReason_L1_L12_TextRoundTrip(t *testing.T) {
	for _, r := range links.AllReasons() {
		b, err := r.MarshalText()
		if err != nil || string(b) != r.Code() {
			t.Fatalf("%v.MarshalText() = %q, %v", r, b, err)
		}
		var got links.Reason
		if err := got.UnmarshalText(b); err != nil || got != r {
			t.Fatalf("UnmarshalText(%q) = %v, %v", b, got, err)
		}
	}
	if _, err := links.Reason(0).MarshalText(); !errors.Is(err, links.ErrInvalid) {
		t.Fatalf("MarshalText of the zero Reason: %v", err)
	}
	r := links.ReasonOwnerNotSet
	if err := r.UnmarshalText([]byte("no_such_reason")); !errors.Is(err, links.ErrInvalid) || r != links.ReasonOwnerNotSet {
		t.Fatalf("UnmarshalText of an unknown code: %v, left %v", err, r)
	}
}

// TestDecisionJSON_L8_Golden pins the JSON of one refused generation: a
// Transfer Analyst (L7) asking for an account without a date of birth or a
// payout account (L8).
func TestDecisionJSON_L8_Golden(t *testing.T) {
	a := custom()
	a.HasExternalAccount = false
	a.Representative = a.Representative.WithDOB(account.Date{})
	d := links.CanGenerateRemediationLink(roles.Default(), roles.NewSet(roles.TransferAnalyst), a)
	golden.JSON(t, filepath.Join("testdata", "decision.golden.json"), d, *update)
}

// TestDecisionJSON_L1_RefusesMalformed checks that documents a decision
// cannot come from are refused and leave the decision unchanged.
func TestDecisionJSON_L1_RefusesMalformed(t *testing.T) {
	for _, doc := range []string{
		`{}`,
		`{"allowed":true,"action":"nope","reasons":[]}`,
		`{"allowed":true,"action":"redeem_account_link","reasons":["link_expired"]}`,
		`{"allowed":false,"action":"redeem_account_link","reasons":[]}`,
		`{"allowed":false,"action":"redeem_account_link","reasons":["no_such_code"]}`,
		`[]`, `null`, `"x"`,
	} {
		d := links.Decision{Op: links.OpReturnAccountLink, Allowed: true}
		if err := json.Unmarshal([]byte(doc), &d); err == nil {
			t.Fatalf("%s was accepted as %+v", doc, d)
		}
		if d.Op != links.OpReturnAccountLink || !d.Allowed {
			t.Fatalf("a refused document changed the decision to %+v", d)
		}
	}
}

// TestErrors_Kinds lists every exported sentinel and error type of links
// with the errkind it classifies as.
func TestErrors_Kinds(t *testing.T) {
	denied := links.CanGenerateRemediationLink(roles.Default(), roles.NewSet(roles.TransferAnalyst), custom())
	noDOB := custom()
	noDOB.Representative = noDOB.Representative.WithDOB(account.Date{})
	var h links.TokenHash
	for _, tt := range []struct {
		name string
		err  error
		want errkind.Kind
	}{
		{"ErrDenied", links.ErrDenied, errkind.Denied},
		{"ErrNotEligible", links.ErrNotEligible, errkind.NotEligible},
		{"ErrInvalidURL", links.ErrInvalidURL, errkind.InvalidInput},
		{"ErrInvalid", links.ErrInvalid, errkind.InvalidInput},
		{"TokenHash.UnmarshalText/length", h.UnmarshalText([]byte("abc")), errkind.InvalidInput},
		{"TokenHash.UnmarshalText/hex", h.UnmarshalText([]byte(strings.Repeat("zz", 32))), errkind.InvalidInput},
		{"ErrRefreshLimit", links.ErrRefreshLimit, errkind.RateLimited},
		{"ErrNotFound", links.ErrNotFound, errkind.NotFound},
		{"ErrExists", links.ErrExists, errkind.Exists},
		{"ErrConflict", links.ErrConflict, errkind.Conflict},
		{"ErrAlreadyUsed", links.ErrAlreadyUsed, errkind.AlreadyUsed},
		{"ErrExpired", links.ErrExpired, errkind.NotEligible},
		{"ErrSuperseded", links.ErrSuperseded, errkind.AlreadyUsed},
		{"ErrStillValid", links.ErrStillValid, errkind.NotEligible},
		{"ErrNotRedeemed", links.ErrNotRedeemed, errkind.NotEligible},
		{"ErrAwaitingReset", links.ErrAwaitingReset, errkind.NotEligible},
		{"ErrNothingToReset", links.ErrNothingToReset, errkind.NotEligible},
		{"ErrSecurityCheckRequired", links.ErrSecurityCheckRequired, errkind.NotEligible},
		{"ErrNothingToAcknowledge", links.ErrNothingToAcknowledge, errkind.NotEligible},
		{"ErrMalformedToken", links.ErrMalformedToken, errkind.InvalidInput},
		{"ErrRandom", links.ErrRandom, errkind.OutcomeUnknown},
		{"ErrInvalidOption", links.ErrInvalidOption, errkind.InvalidInput},
		{"ErrNoStore", links.ErrNoStore, errkind.InvalidInput},
		{"*URLError", &links.URLError{Field: links.ReturnURL, Problem: links.URLInsecure}, errkind.InvalidInput},
		{"*DecisionError, role denial wins over L8", denied.Err(), errkind.Denied},
		{"*DecisionError, L8 only", links.CanGenerateRemediationLink(roles.Default(), roles.NewSet(roles.Admin), noDOB).Err(), errkind.NotEligible},
		{"*DecisionError, refresh limit", links.Decision{Op: links.OpRefreshAccountLink, Reasons: links.ReasonsOf(links.ReasonRefreshLimitExceeded)}.Err(), errkind.RateLimited},
		{"*DecisionError, bad URL and ineligible", links.CanCreateAccountLink(standard(), links.AccountLinkParams{Type: links.TypeUpdate}).Err(), errkind.InvalidInput},
	} {
		if got := errkind.Of(tt.err); got != tt.want {
			t.Errorf("errkind.Of(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
	if !errors.Is(denied.Err(), roles.ErrDenied) || !errors.Is(denied.Err(), links.ErrDenied) {
		t.Fatal("a role denial does not match roles.ErrDenied and links.ErrDenied")
	}
}

// TestAccountLink_L1_RefreshLimitSaysWhenToRetry checks that a refresh
// refused by the window alone says when it may be tried again.
func TestAccountLink_L1_RefreshLimitSaysWhenToRetry(t *testing.T) {
	s, c := newService(t)
	s.RefreshLimit, s.RefreshWindow = 1, time.Hour
	got, err := s.CreateAccountLink(ctx, owner, custom(), onboarding(true))
	if err != nil {
		t.Fatal(err)
	}
	spend(t, s, got.Token)
	next, err := s.Refresh(ctx, got.Token)
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Minute)
	now := c.Now()
	spend(t, s, next.Token)
	_, err = s.Refresh(ctx, next.Token)
	var de *links.DecisionError
	if !errors.As(err, &de) || !de.Decision.Reasons.Has(links.ReasonRefreshLimitExceeded) {
		t.Fatalf("second refresh in the window: %v", err)
	}
	if d := de.Decision; !d.NextPossibleAt.Equal(now.Add(time.Hour)) || d.DelayFrom(now) != time.Hour ||
		d.DelayFrom(now.Add(2*time.Hour)) != 0 || d.Op != links.OpRefreshAccountLink {
		t.Fatalf("decision %+v: NextPossibleAt %v, DelayFrom(now) %v", d, d.NextPossibleAt, d.DelayFrom(now))
	}
	if d := links.CanCreateAccountLink(custom(), onboarding(true)); d.DelayFrom(now) != 0 {
		t.Fatalf("an allowed decision has a delay %v", d.DelayFrom(now))
	}
}

// TestAccountLink_L1_RecordsWhoAsked checks the audit trail: an account
// link records its creator, a refresh keeps it, and a user without an ID
// is refused.
func TestAccountLink_L1_RecordsWhoAsked(t *testing.T) {
	s, _ := newService(t)
	got, err := s.CreateAccountLink(ctx, owner, custom(), onboarding(true))
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.Store.AccountLink(ctx, got.Token.Hash())
	if err != nil || stored.CreatedBy != owner.ID {
		t.Fatalf("stored link %+v, %v: CreatedBy, want %q", stored, err, owner.ID)
	}
	spend(t, s, got.Token)
	next, err := s.Refresh(ctx, got.Token)
	if err != nil || next.Link.CreatedBy != owner.ID {
		t.Fatalf("refreshed link %+v, %v: want CreatedBy %q", next.Link, err, owner.ID)
	}
	for _, u := range []roles.User{{}, {ID: "usr_\x00"}} {
		_, err := s.CreateAccountLink(ctx, u, custom(), onboarding(true))
		if !errors.Is(err, links.ErrInvalid) || !errors.Is(err, roles.ErrInvalidUser) {
			t.Fatalf("CreateAccountLink by %q: %v", u.ID, err)
		}
		_, err = s.GenerateRemediationLink(ctx, roles.User{ID: u.ID, Roles: admin.Roles}, custom())
		if !errors.Is(err, links.ErrInvalid) {
			t.Fatalf("GenerateRemediationLink by %q: %v", u.ID, err)
		}
	}
}
