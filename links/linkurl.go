package links

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/connectkit/connectkit/account"
)

// TokenPlaceholder is the text a URLTemplate holds exactly once, where the
// token goes.
const TokenPlaceholder = "{token}"

// URLTemplate turns an issued token into the URL to send: the template's
// text with its one TokenPlaceholder replaced by the token's text, such as
// "https://platform.example/links/{token}". A token is URL-safe (TokenPrefix
// and base64url), so it needs no escaping in a path or a query. Set
// Service.AccountLinkURL and Service.RemediationLinkURL, and every issued
// link carries its URL (IssuedAccountLink.URL, IssuedRemediationLink.URL,
// ExportRow.URL), so that Token.Reveal is called in one place.
type URLTemplate string

// Validate reports whether t holds TokenPlaceholder exactly once and makes,
// with a token in place, a URL that CheckURL accepts in test mode (http or
// https, absolute, at most MaxURLLength bytes). Anything else is an error
// matching ErrInvalidOption; the error does not repeat the template.
func (t URLTemplate) Validate() error {
	if n := strings.Count(string(t), TokenPlaceholder); n != 1 {
		return fmt.Errorf("%w: a link URL template must hold %s exactly once, not %d times", ErrInvalidOption, TokenPlaceholder, n)
	}
	sample := strings.Replace(string(t), TokenPlaceholder, TokenPrefix+strings.Repeat("A", tokenLen-len(TokenPrefix)), 1)
	if p := CheckURL(sample, false); p != 0 {
		return fmt.Errorf("%w: a link URL template makes a URL that is %v (L2)", ErrInvalidOption, p)
	}
	return nil
}

// Build returns the URL for tok. A template Validate refuses, or the zero
// Token, is an error matching ErrInvalidOption or ErrMalformedToken.
func (t URLTemplate) Build(tok Token) (string, error) {
	if err := t.Validate(); err != nil {
		return "", err
	}
	if tok.IsZero() {
		return "", fmt.Errorf("%w: the zero token has no URL", ErrMalformedToken)
	}
	return strings.Replace(string(t), TokenPlaceholder, tok.Reveal(), 1), nil
}

// build is Build for an optional template: "" when t is empty.
func (t URLTemplate) build(tok Token) (string, error) {
	if t == "" {
		return "", nil
	}
	return t.Build(tok)
}

// RefreshKeyPrefix starts every refresh key.
const RefreshKeyPrefix = "lrf_"

// RefreshKeyParam is the query parameter Service adds to a link's refresh
// URL when a redemption is refused (Redemption.RedirectURL): the refresh
// URL's handler reads it with ParseRefreshKey and passes the token to
// Refresh.
const RefreshKeyParam = "refresh_key"

// RefreshKey returns the text that lets the refresh URL's handler refresh
// the chain of the link t (L1): t's secret under RefreshKeyPrefix instead of
// TokenPrefix, so that it is not a link token (redeeming it finds nothing)
// and secret scanners still recognise it. Service hands it out, in
// Redemption.RedirectURL, only for a link that can no longer be redeemed
// (expired or already used): what it exposes is a spent token. Anyone who
// holds a live link's URL can derive its key too, which is why Refresh
// refuses a link that can still be redeemed (ReasonLinkStillValid). It is
// a secret all the same — for a spent link it refreshes the chain, which
// makes a live link — so treat the redirect URL like the link's own, and
// authenticate the person (the platform's session) in the refresh handler
// before calling Refresh. The zero Token has the empty key.
func (t Token) RefreshKey() string {
	s := t.reveal()
	if s == "" {
		return ""
	}
	return RefreshKeyPrefix + s[len(TokenPrefix):]
}

// ParseRefreshKey returns the token whose RefreshKey is s. Anything else is
// an error matching ErrMalformedToken that never repeats s. It never
// panics.
func ParseRefreshKey(s string) (Token, error) {
	if !strings.HasPrefix(s, RefreshKeyPrefix) {
		return Token{}, ErrMalformedToken
	}
	return ParseToken(TokenPrefix + s[len(RefreshKeyPrefix):])
}

// refreshURL returns raw with RefreshKeyParam set to tok's refresh key, or
// raw unchanged when it does not parse (a stored link's URL was checked
// when it was made, so that happens only for a record written by hand).
func refreshURL(raw string, tok Token) string {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return raw
	}
	q := u.Query()
	q.Set(RefreshKeyParam, tok.RefreshKey())
	u.RawQuery = q.Encode()
	return u.String()
}

// PlatformSource gives the platform's settings, so that opening a
// remediation link from its token alone can say where it opens (L9).
// account.Store (and so *account.MemoryStore) implements it.
// Implementations must be safe for concurrent use.
type PlatformSource interface {
	GetPlatform(ctx context.Context) (account.Platform, error)
}

// PlatformFunc adapts a function to PlatformSource.
type PlatformFunc func(ctx context.Context) (account.Platform, error)

// GetPlatform returns f(ctx).
func (f PlatformFunc) GetPlatform(ctx context.Context) (account.Platform, error) { return f(ctx) }
