package links

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/connectkit/connectkit/internal/secret"
)

// TokenPrefix starts every link token, so that a token is recognisable in
// logs and secret scanners even though it is never printed by this package.
const TokenPrefix = "lnk_"

// tokenBytes is the number of random bytes in a token: 256 bits, twice the
// 128-bit floor of the design.
const tokenBytes = 32

// tokenLen is the length of a token's text: the prefix and the unpadded
// base64url encoding of tokenBytes bytes (43 characters).
const tokenLen = len(TokenPrefix) + (tokenBytes*8+5)/6

// tokenText is a token's text, held by value so that a new token costs one
// allocation (the closure holding it) rather than three.
type tokenText [tokenLen]byte

// Token is the secret part of a link's URL: 256 random bits, URL-safe
// (base64url without padding) behind TokenPrefix. Only its Hash is stored.
//
// A Token never prints itself: String, GoString and every fmt verb show a
// redacted form, so a token that reaches a log line or an error message by
// accident does not leak. Reveal returns the text to put in a URL.
//
// The secret is held in a secret.Value (internal/secret), inside a
// closure, where printers working by reflection cannot reach it: fmt prints a struct field whose methods it
// cannot call (an unexported field of a caller's struct) by reflection, and
// cmp.Diff formats values by reflection too, but both show a func only as
// an address. (A pointer to an unexported type is not enough: fmt's
// bad-verb path, as in %s of a struct holding it, and cmp.Diff print the
// pointed-to value.) slog gets the redacted form through LogValue, and cmp
// compares tokens with Equal.
//
// The zero Token is invalid: IsZero reports it and no store holds its hash.
// A Token is an immutable value, safe for concurrent use. Compare tokens
// with Equal, not ==, which does not compile.
type Token struct {
	text secret.Value[tokenText]
}

// newToken returns the token whose text is b.
func newToken(b *tokenText) Token { return Token{text: secret.New(*b)} }

// reveal returns the token's text, or "" for the zero Token.
func (t Token) reveal() string {
	if t.text.IsZero() {
		return ""
	}
	b := t.text.Get()
	return string(b[:])
}

// NewToken reads 32 bytes from r and returns them as a Token. A nil r means
// crypto/rand.Reader; tests inject a deterministic reader. A short read is an
// error matching ErrRandom, never a weaker token.
func NewToken(r io.Reader) (Token, error) {
	if r == nil {
		r = rand.Reader
	}
	var b [tokenBytes]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return Token{}, fmt.Errorf("%w: %w", ErrRandom, err)
	}
	return tokenOf(&b), nil
}

// tokenOf returns the token of the random bytes b.
func tokenOf(b *[tokenBytes]byte) Token {
	var text tokenText
	copy(text[:], TokenPrefix)
	base64.RawURLEncoding.Encode(text[len(TokenPrefix):], b[:])
	return newToken(&text)
}

// ParseToken checks that s has the exact shape of a token (TokenPrefix and
// 43 base64url characters that decode to 32 bytes) and returns it. Anything
// else is an error matching ErrMalformedToken; the error never repeats s,
// since s may be a real token with a typo. ParseToken never panics.
func ParseToken(s string) (Token, error) {
	if len(s) != tokenLen || !strings.HasPrefix(s, TokenPrefix) {
		return Token{}, ErrMalformedToken
	}
	body := s[len(TokenPrefix):]
	var b [tokenBytes]byte
	n, err := base64.RawURLEncoding.Strict().Decode(b[:], []byte(body))
	if err != nil || n != tokenBytes {
		return Token{}, ErrMalformedToken
	}
	var text tokenText
	copy(text[:], s)
	return newToken(&text), nil
}

// IsZero reports whether t is the zero Token.
func (t Token) IsZero() bool { return t.text.IsZero() }

// Equal reports whether t and o are the same token, in constant time.
// cmp.Equal and cmp.Diff use it.
func (t Token) Equal(o Token) bool {
	if t.text.IsZero() || o.text.IsZero() {
		return t.text.IsZero() == o.text.IsZero()
	}
	a, b := t.text.Get(), o.text.Get()
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// LogValue implements slog.LogValuer: the redacted placeholder.
func (t Token) LogValue() slog.Value { return slog.StringValue(t.String()) }

// Reveal returns the token's text, to be placed in the link URL handed to
// the user. It is the only way to read the secret; call it only where the
// URL is built.
func (t Token) Reveal() string { return t.reveal() }

// Hash returns the SHA-256 of the token's text: the only form a Store keeps.
// The zero Token hashes to the zero TokenHash.
func (t Token) Hash() TokenHash {
	if t.text.IsZero() {
		return TokenHash{}
	}
	b := t.text.Get()
	return sha256.Sum256(b[:])
}

const redacted = TokenPrefix + "[REDACTED]"

// String returns a redacted placeholder, never the token.
func (t Token) String() string {
	if t.text.IsZero() {
		return "lnk_[none]"
	}
	return redacted
}

// GoString returns a redacted placeholder, never the token, for %#v.
func (t Token) GoString() string { return "links.Token{" + t.String() + "}" }

// Format implements fmt.Formatter so that every verb (%v, %s, %q, %x, %+v,
// %#v …) prints the redacted placeholder.
func (t Token) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, t.GoString())
		return
	}
	_, _ = io.WriteString(f, t.String())
}

// MarshalText refuses to encode a token, so that a Token inside a struct
// cannot leak through encoding/json or a logger that marshals values. Use
// Reveal deliberately instead.
func (t Token) MarshalText() ([]byte, error) {
	return nil, fmt.Errorf("links: refusing to marshal a token; use Token.Reveal")
}

// TokenHash is the SHA-256 of a token's text, the key under which a Store
// keeps a link. It is not secret (it cannot be turned back into a token),
// but holding it does not let anyone redeem a link either: redemption takes
// the Token and hashes it. The zero TokenHash matches no link.
type TokenHash [sha256.Size]byte

// IsZero reports whether h is the zero TokenHash.
func (h TokenHash) IsZero() bool { return h == TokenHash{} }

// Equal reports whether h and o are equal, in constant time.
func (h TokenHash) Equal(o TokenHash) bool {
	return subtle.ConstantTimeCompare(h[:], o[:]) == 1
}

// String returns the first eight bytes of h in hex, enough to correlate log
// lines.
func (h TokenHash) String() string { return hex.EncodeToString(h[:8]) }

// MarshalText encodes h as 64 hex digits.
func (h TokenHash) MarshalText() ([]byte, error) {
	out := make([]byte, hex.EncodedLen(len(h)))
	hex.Encode(out, h[:])
	return out, nil
}

// UnmarshalText decodes 64 hex digits; anything else is an error and leaves
// h unchanged.
func (h *TokenHash) UnmarshalText(b []byte) error {
	var v TokenHash
	if hex.DecodedLen(len(b)) != len(v) {
		return fmt.Errorf("%w: token hash must be %d hex digits", ErrInvalid, 2*len(v))
	}
	if _, err := hex.Decode(v[:], b); err != nil {
		return fmt.Errorf("%w: token hash: %w", ErrInvalid, err)
	}
	*h = v
	return nil
}
