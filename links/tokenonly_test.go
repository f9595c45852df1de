package links_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/connectkit/connectkit/links"
)

// keyOf reads the refresh key from a redirect URL, as a refresh handler
// does.
func keyOf(t *testing.T, redirect string) (links.Token, error) {
	t.Helper()
	u, err := url.Parse(redirect)
	if err != nil {
		t.Fatalf("redirect URL does not parse: %v", err)
	}
	return links.ParseRefreshKey(u.Query().Get(links.RefreshKeyParam))
}

// TestRefresh_L1_FromTheRedirectAlone: a refused redemption's redirect
// carries what the refresh URL's handler needs, and nothing else: the
// handler refreshes the same chain from the URL alone; the key is not a
// link token (redeeming it finds nothing); a replaced link's redirect has
// no key, since refreshing it would be refused.
func TestRefresh_L1_FromTheRedirectAlone(t *testing.T) {
	s, c := newService(t)
	p := onboarding(true)
	p.RefreshURL = "https://platform.example/refresh?src=mail"
	first, err := s.CreateAccountLink(ctx, owner, custom(), p)
	if err != nil {
		t.Fatal(err)
	}
	c.Set(t3) // expired
	r, err := s.Redeem(ctx, first.Token)
	if err != nil || r.Outcome != links.Redirect || r.Reason != links.ReasonLinkExpired {
		t.Fatalf("redeem at expiry = %v/%v, %v", r.Outcome, r.Reason, err)
	}
	if strings.Contains(r.RedirectURL, first.Token.Reveal()) {
		t.Fatal("the redirect URL holds the link token")
	}
	u, _ := url.Parse(r.RedirectURL)
	if u.Query().Get("src") != "mail" || u.Host != "platform.example" || u.Path != "/refresh" {
		t.Fatalf("redirect URL %q lost the refresh URL's own parts", r.RedirectURL)
	}
	key := u.Query().Get(links.RefreshKeyParam)
	if got, err := s.RedeemString(ctx, key); err != nil || got.Reason != links.ReasonLinkUnknown {
		t.Fatalf("redeeming the refresh key = %v, %v; want link_unknown", got.Reason, err)
	}
	prev, err := keyOf(t, r.RedirectURL)
	if err != nil || !prev.Equal(first.Token) {
		t.Fatalf("ParseRefreshKey: %v (same token: %v)", err, prev.Equal(first.Token))
	}
	next, err := s.Refresh(ctx, prev)
	if err != nil || next.Link.Chain != first.Link.Chain {
		t.Fatalf("refresh from the key: %+v, %v", next.Link, err)
	}
	if got, err := s.Redeem(ctx, next.Token); err != nil || got.Outcome != links.Proceed {
		t.Fatalf("redeem the refreshed link = %v, %v", got.Outcome, err)
	}
	// The replaced first link now redirects without a key.
	r, err = s.Redeem(ctx, first.Token)
	if err != nil || r.Reason != links.ReasonLinkReplaced || r.RedirectURL != p.RefreshURL {
		t.Fatalf("redeem of the replaced link = %v, %q, %v; want link_replaced and the bare refresh URL", r.Reason, r.RedirectURL, err)
	}
	// The used latest link's redirect refreshes its chain again.
	r, _ = s.Redeem(ctx, next.Token)
	if prev, err := keyOf(t, r.RedirectURL); err != nil || !prev.Equal(next.Token) {
		t.Fatalf("used link's key: %v", err)
	}
}

func TestParseRefreshKey_RefusesWhatIsNotAKey(t *testing.T) {
	tok, _ := links.NewToken(seeded(3))
	if tok.RefreshKey() == "" || !strings.HasPrefix(tok.RefreshKey(), links.RefreshKeyPrefix) || (links.Token{}).RefreshKey() != "" {
		t.Fatalf("RefreshKey: %q", links.RefreshKeyPrefix)
	}
	for _, in := range []string{"", "lrf_", tok.Reveal(), links.RefreshKeyPrefix + "short", tok.RefreshKey() + "x", strings.ToUpper(tok.RefreshKey())} {
		got, err := links.ParseRefreshKey(in)
		if !errors.Is(err, links.ErrMalformedToken) || !got.IsZero() {
			t.Errorf("ParseRefreshKey(%.12q…) = %v; want ErrMalformedToken", in, err)
		}
		if len(in) > 8 && err != nil && strings.Contains(err.Error(), in) {
			t.Errorf("the error repeats the input")
		}
	}
}

func FuzzParseRefreshKey(f *testing.F) {
	good, _ := links.NewToken(seeded(8))
	for _, s := range []string{"", "lrf_", good.RefreshKey(), good.Reveal(), good.RefreshKey()[:20], strings.Repeat(good.RefreshKey(), 1<<10)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := links.ParseRefreshKey(s)
		if err != nil {
			if !tok.IsZero() || !errors.Is(err, links.ErrMalformedToken) {
				t.Fatalf("a refused parse: %v, token zero %v", err, tok.IsZero())
			}
			if len(s) > 8 && strings.Contains(err.Error(), s) {
				t.Fatal("the error repeats the input")
			}
			return
		}
		if tok.RefreshKey() != s {
			t.Fatalf("ParseRefreshKey(%q).RefreshKey() = %q", s, tok.RefreshKey())
		}
	})
}

// TestURLTemplate_L2_BuildsTheLinkURL: issued links carry their URL built
// from the template; a template that is not a URL with one placeholder is
// refused before anything is written.
func TestURLTemplate_L2_BuildsTheLinkURL(t *testing.T) {
	s, _ := newService(t)
	s.AccountLinkURL = "https://platform.example/l/{token}"
	s.RemediationLinkURL = "https://platform.example/r/{token}?from=support"
	al, err := s.CreateAccountLink(ctx, owner, custom(), onboarding(true))
	if err != nil || al.URL != "https://platform.example/l/"+al.Token.Reveal() {
		t.Fatalf("account link URL %q, %v", al.URL, err)
	}
	spend(t, s, al.Token)
	next, err := s.Refresh(ctx, al.Token)
	if err != nil || next.URL != "https://platform.example/l/"+next.Token.Reveal() {
		t.Fatalf("refreshed link URL %q, %v", next.URL, err)
	}
	rl, err := s.GenerateRemediationLink(ctx, admin, custom())
	if err != nil || rl.URL != "https://platform.example/r/"+rl.Token.Reveal()+"?from=support" {
		t.Fatalf("remediation link URL %q, %v", rl.URL, err)
	}

	for _, bad := range []links.URLTemplate{"https://platform.example/l/", "https://x.example/{token}/{token}", "/l/{token}", "ftp://x.example/{token}", "https://x.example/{token}\x00"} {
		if err := bad.Validate(); !errors.Is(err, links.ErrInvalidOption) {
			t.Errorf("Validate(%q) = %v, want ErrInvalidOption", bad, err)
		}
		s, _ := newService(t)
		s.AccountLinkURL = bad
		if _, err := s.CreateAccountLink(ctx, owner, custom(), onboarding(true)); !errors.Is(err, links.ErrInvalidOption) {
			t.Errorf("CreateAccountLink with template %q: %v, want ErrInvalidOption", bad, err)
		}
		// newService's Rand is seeded(1): the refused call drew this token.
		drawn, _ := links.NewToken(seeded(1))
		if _, err := s.Store.AccountLink(ctx, drawn.Hash()); !errors.Is(err, links.ErrNotFound) {
			t.Errorf("a refused template stored a link: %v", err)
		}
	}
	if _, err := links.URLTemplate("https://x.example/{token}").Build(links.Token{}); !errors.Is(err, links.ErrMalformedToken) {
		t.Errorf("Build(zero token) = %v", err)
	}
}
