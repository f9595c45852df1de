package linkstest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/links"
)

// testReplace checks ReplaceAccountLink: only the latest link of a chain is
// replaced, the replaced link can no longer be redeemed, and a refused
// replacement changes nothing (L1).
func testReplace(t *testing.T, newStore func(t *testing.T) links.Store) {
	ctx := context.Background()
	next := func(name string, prev links.AccountLink, at time.Time) links.AccountLink {
		n := accountLink(name, prev.Account, at, 5*time.Minute)
		n.Chain, n.ChainStarted = prev.Chain, prev.ChainStarted
		return n
	}

	t.Run("AccountLink/L1_ReplaceRetiresThePreviousLink", func(t *testing.T) {
		s := newStore(t)
		a := accountLink("a", "acct_1", t0, 5*time.Minute)
		must(t, s.CreateAccountLink(ctx, a))
		now := t0.Add(time.Minute)
		b := next("b", a, now)
		got, err := s.ReplaceAccountLink(ctx, a.Hash, b, now)
		must(t, err)
		want := a
		want.ReplacedAt = now
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("replaced link (-want +got):\n%s", diff)
		}
		stored, err := s.AccountLink(ctx, b.Hash)
		must(t, err)
		if diff := cmp.Diff(b, stored); diff != "" {
			t.Fatalf("next link as stored (-want +got):\n%s", diff)
		}
		// The replaced link, still inside its five minutes, is not live.
		_, err = s.RedeemAccountLink(ctx, a.Hash, now)
		wantErr(t, "redeem of the replaced link", err, links.ErrSuperseded)
		// Only the latest can be replaced.
		_, err = s.ReplaceAccountLink(ctx, a.Hash, next("c", a, now), now)
		wantErr(t, "second replacement of one link", err, links.ErrSuperseded)
		_, err = s.AccountLink(ctx, hash("c"))
		wantErr(t, "link of a refused replacement", err, links.ErrNotFound)
		_, err = s.ReplaceAccountLink(ctx, b.Hash, next("d", b, now), now)
		must(t, err)
	})

	t.Run("AccountLink/L1_ReplaceRefusals", func(t *testing.T) {
		s := newStore(t)
		a := accountLink("a", "acct_1", t0, 5*time.Minute)
		must(t, s.CreateAccountLink(ctx, a))
		_, err := s.ReplaceAccountLink(ctx, hash("nobody"), next("b", a, t0), t0)
		wantErr(t, "replace unknown", err, links.ErrNotFound)
		_, err = s.ReplaceAccountLink(ctx, a.Hash, next("a", a, t0), t0)
		wantErr(t, "replace with a taken hash", err, links.ErrExists)
		other := accountLink("b", "acct_1", t0, 5*time.Minute) // its own chain
		_, err = s.ReplaceAccountLink(ctx, a.Hash, other, t0)
		wantErr(t, "replace with another chain's link", err, links.ErrInvalid)
		got, err := s.AccountLink(ctx, a.Hash)
		must(t, err)
		if diff := cmp.Diff(a, got); diff != "" {
			t.Fatalf("refused replacements changed the link (-want +got):\n%s", diff)
		}
		_, err = s.AccountLink(ctx, hash("b"))
		wantErr(t, "link of a refused replacement", err, links.ErrNotFound)
	})

}

// testTokensAndRevoke checks the token cap and revocation of remediation
// links.
func testTokensAndRevoke(t *testing.T, newStore func(t *testing.T) links.Store) {
	ctx := context.Background()

	t.Run("Remediation/TokensCappedOldestRetired", func(t *testing.T) {
		s := newStore(t)
		_, err := s.CreateRemediationLink(ctx, remediationLink("rml_1", "acct_1", t0), hash("r0"), t0)
		must(t, err)
		const added = links.MaxRemediationTokens + 5
		for i := 1; i <= added; i++ {
			must(t, s.AddRemediationToken(ctx, "rml_1", hash(fmt.Sprintf("r%d", i)), t0))
		}
		// r0 … r5 retired, in the order added; the last ten still open it.
		for i := 0; i <= added; i++ {
			_, err := s.RemediationLinkByToken(ctx, hash(fmt.Sprintf("r%d", i)))
			if live := i > added-links.MaxRemediationTokens; live {
				must(t, err)
			} else {
				wantErr(t, fmt.Sprintf("token r%d beyond the cap", i), err, links.ErrNotFound)
			}
		}
	})

	t.Run("Remediation/RevokeRetiresEveryToken", func(t *testing.T) {
		s := newStore(t)
		l, err := s.CreateRemediationLink(ctx, remediationLink("rml_1", "acct_1", t0), hash("r1"), t0)
		must(t, err)
		must(t, s.AddRemediationToken(ctx, "rml_1", hash("r2"), t0))
		now := t0.Add(time.Hour)
		got, err := s.RevokeRemediationLink(ctx, "rml_1", "usr_2", now)
		must(t, err)
		want := l
		want.RevokedAt, want.LastChangedBy, want.Version = now, "usr_2", 2
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("revoked link (-want +got):\n%s", diff)
		}
		for _, tok := range []string{"r1", "r2"} {
			_, err := s.RemediationLinkByToken(ctx, hash(tok))
			wantErr(t, "token "+tok+" of a revoked link", err, links.ErrNotFound)
		}
		cur, err := s.RemediationLink(ctx, "rml_1")
		must(t, err)
		if diff := cmp.Diff(want, cur); diff != "" {
			t.Fatalf("revoked link as stored (-want +got):\n%s", diff)
		}
		_, err = s.RevokeRemediationLink(ctx, "rml_1", "usr_2", now)
		wantErr(t, "second revocation", err, links.ErrExpired)
		wantErr(t, "add a token to a revoked link", s.AddRemediationToken(ctx, "rml_1", hash("r3"), now), links.ErrExpired)
		_, err = s.RevokeRemediationLink(ctx, "rml_x", "usr_2", now)
		wantErr(t, "revoke unknown", err, links.ErrNotFound)
		// A revoked link is replaced by the next creation.
		_, err = s.CreateRemediationLink(ctx, remediationLink("rml_2", "acct_1", now), hash("r4"), now)
		must(t, err)
	})

	t.Run("Remediation/RevokeExpiredRefused", func(t *testing.T) {
		s := newStore(t)
		_, err := s.CreateRemediationLink(ctx, remediationLink("rml_1", "acct_1", t0), hash("r1"), t0)
		must(t, err)
		_, err = s.RevokeRemediationLink(ctx, "rml_1", "usr_2", t0.Add(links.RemediationTTL))
		wantErr(t, "revoke an expired link", err, links.ErrExpired)
	})

}

// Bad strings every Store must refuse with ErrInvalid (issue 18: a
// NUL, invalid UTF-8 and 12,000 characters were accepted by the in-memory
// store and failed in PostgreSQL with raw driver errors).
var badStrings = map[string]string{
	"NUL":          "acct_\x00_1",
	"invalid UTF8": "acct_\xff\xfe",
	"12000 chars":  "acct_" + strings.Repeat("x", 12_000),
}

// testBadInput checks that a Store refuses the same bad inputs, with
// ErrInvalid and nothing changed, and never commits a remediation
// link it cannot read back.
func testBadInput(t *testing.T, newStore func(t *testing.T) links.Store) {
	ctx := context.Background()
	for name, bad := range badStrings {
		t.Run("BadInput/"+strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			s := newStore(t)
			al := accountLink("a", account.ID(bad), t0, time.Minute)
			wantErr(t, "CreateAccountLink with a bad account", s.CreateAccountLink(ctx, al), links.ErrInvalid)
			_, err := s.AccountLink(ctx, al.Hash)
			wantErr(t, "the refused account link", err, links.ErrNotFound)

			by := accountLink("c", "acct_1", t0, time.Minute)
			by.CreatedBy = bad
			wantErr(t, "CreateAccountLink with a bad CreatedBy", s.CreateAccountLink(ctx, by), links.ErrInvalid)

			url := accountLink("u", "acct_1", t0, time.Minute)
			url.Params.ReturnURL = "https://platform.example/" + bad
			wantErr(t, "CreateAccountLink with a bad URL", s.CreateAccountLink(ctx, url), links.ErrInvalid)

			good := accountLink("g", "acct_1", t0, time.Minute)
			must(t, s.CreateAccountLink(ctx, good))
			next := accountLink("n", account.ID(bad), t0, time.Minute)
			next.Chain = good.Chain
			_, err = s.ReplaceAccountLink(ctx, good.Hash, next, t0)
			wantErr(t, "ReplaceAccountLink with a bad next", err, links.ErrInvalid)
			if got, err := s.AccountLink(ctx, good.Hash); err != nil || got.Replaced() {
				t.Fatalf("a refused replacement retired the link: %+v, %v", got, err)
			}

			for field, l := range map[string]links.RemediationLink{
				"ID":        remediationLink(links.LinkID(bad), "acct_1", t0),
				"Account":   remediationLink("rml_1", account.ID(bad), t0),
				"CreatedBy": func() links.RemediationLink { l := remediationLink("rml_1", "acct_1", t0); l.CreatedBy = bad; return l }(),
				"LastChangedBy": func() links.RemediationLink {
					l := remediationLink("rml_1", "acct_1", t0)
					l.LastChangedBy = bad
					return l
				}(),
			} {
				_, err := s.CreateRemediationLink(ctx, l, hash("r-"+field), t0)
				wantErr(t, "CreateRemediationLink with a bad "+field, err, links.ErrInvalid)
				_, err = s.RemediationLinkByToken(ctx, hash("r-"+field))
				wantErr(t, "token of the refused link", err, links.ErrNotFound)
			}
			_, err = s.RemediationLink(ctx, links.LinkID(bad))
			wantErr(t, "RemediationLink by a bad ID", err, links.ErrInvalid)
			_, err = s.RemediationLinkByAccount(ctx, account.ID(bad))
			wantErr(t, "RemediationLinkByAccount by a bad ID", err, links.ErrInvalid)
			wantErr(t, "AddRemediationToken to a bad ID", s.AddRemediationToken(ctx, links.LinkID(bad), hash("x"), t0), links.ErrInvalid)
			_, err = s.RevokeRemediationLink(ctx, links.LinkID(bad), "usr_1", t0)
			wantErr(t, "RevokeRemediationLink of a bad ID", err, links.ErrInvalid)

			// Update: a bad user ID refused, the link unchanged.
			l, err := s.CreateRemediationLink(ctx, remediationLink("rml_ok", "acct_ok", t0), hash("rok"), t0)
			must(t, err)
			upd := l
			upd.LastChangedBy = bad
			_, err = s.UpdateRemediationLink(ctx, upd)
			wantErr(t, "UpdateRemediationLink with a bad LastChangedBy", err, links.ErrInvalid)
			cur, err := s.RemediationLink(ctx, "rml_ok")
			must(t, err)
			if diff := cmp.Diff(l, cur); diff != "" {
				t.Fatalf("a refused update changed the link (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("BadInput/UpdateOutOfRangeNeverCommitted", func(t *testing.T) {
		s := newStore(t)
		l, err := s.CreateRemediationLink(ctx, remediationLink("rml_1", "acct_1", t0), hash("r1"), t0)
		must(t, err)
		for name, mutate := range map[string]func(*links.RemediationLink){
			"Pending 200":          func(l *links.RemediationLink) { l.Pending = 200 },
			"Pending 4":            func(l *links.RemediationLink) { l.Pending = links.FailureInsufficientInformation + 1 },
			"negative Failures":    func(l *links.RemediationLink) { l.Failures = -1 },
			"Resets beyond int32":  func(l *links.RemediationLink) { l.Resets = links.MaxCounter + 1 },
			"negative ResetCredit": func(l *links.RemediationLink) { l.ResetCredits = -5 },
		} {
			upd := l
			mutate(&upd)
			_, err := s.UpdateRemediationLink(ctx, upd)
			wantErr(t, "UpdateRemediationLink with "+name, err, links.ErrInvalid)
			cur, err := s.RemediationLink(ctx, "rml_1")
			if err != nil {
				t.Fatalf("after a refused update with %s the link cannot be read: %v", name, err)
			}
			if diff := cmp.Diff(l, cur); diff != "" {
				t.Fatalf("a refused update with %s changed the link (-want +got):\n%s", name, diff)
			}
		}
		bad := remediationLink("rml_2", "acct_2", t0)
		bad.Pending = 9
		_, err = s.CreateRemediationLink(ctx, bad, hash("r2"), t0)
		wantErr(t, "CreateRemediationLink with Pending 9", err, links.ErrInvalid)
		_, err = s.RemediationLinkByAccount(ctx, "acct_2")
		wantErr(t, "the refused link", err, links.ErrNotFound)
	})
}
