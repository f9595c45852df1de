package links

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// MaxURLLen is the longest refresh or return URL accepted, in bytes.
// Longer URLs are refused as malformed rather than truncated.
const MaxURLLen = 2048

// URLField names which URL a URLError is about.
type URLField uint8

// The URLs of an account link (L2).
const (
	RefreshURL    URLField = iota + 1 // refresh_url
	ReturnURL                         // return_url
	BannerPageURL                     // the platform's banner page (L9)
)

// String returns the field's wire name: "refresh_url" or "return_url".
func (f URLField) String() string {
	switch f {
	case RefreshURL:
		return "refresh_url"
	case ReturnURL:
		return "return_url"
	case BannerPageURL:
		return "banner_page_url"
	}
	return fmt.Sprintf("URLField(%d)", uint8(f))
}

// URLProblem is what is wrong with a URL (L2). The zero URLProblem means
// nothing is wrong.
type URLProblem uint8

// The URL problems of rule L2.
const (
	// URLMissing: the URL is empty.
	URLMissing URLProblem = iota + 1
	// URLMalformed: the URL does not parse, is not absolute, has no host,
	// is not http or https, holds control characters or invalid UTF-8, or
	// is longer than MaxURLLen.
	URLMalformed
	// URLInsecure: plain http in live mode; live mode accepts only https.
	URLInsecure
)

// String returns the problem's snake_case code.
func (p URLProblem) String() string {
	switch p {
	case 0:
		return "ok"
	case URLMissing:
		return "missing"
	case URLMalformed:
		return "malformed"
	case URLInsecure:
		return "insecure"
	}
	return fmt.Sprintf("URLProblem(%d)", uint8(p))
}

// URLError reports a refresh or return URL that rule L2 refuses. It matches
// ErrInvalidURL. It never repeats the URL, which may carry secrets of the
// platform's own.
type URLError struct {
	Field   URLField   // which URL: the refresh or the return URL
	Problem URLProblem // what L2 refuses about it
}

// Error implements error.
func (e *URLError) Error() string {
	switch e.Problem {
	case URLMissing:
		return fmt.Sprintf("links: %v is required (L2)", e.Field)
	case URLInsecure:
		return fmt.Sprintf("links: %v must use https in live mode (L2)", e.Field)
	}
	return fmt.Sprintf("links: %v is not an absolute http or https URL (L2)", e.Field)
}

// Unwrap returns ErrInvalidURL.
func (e *URLError) Unwrap() error { return ErrInvalidURL }

// CheckURL returns what rule L2 finds wrong with raw as a refresh or return
// URL, or zero when it is acceptable: it must be present, an absolute http or
// https URL with a host, at most MaxURLLen bytes, without control
// characters or spaces, valid UTF-8; in live mode only https is accepted, test mode also
// accepts http. It is pure and never panics.
func CheckURL(raw string, live bool) URLProblem {
	if raw == "" {
		return URLMissing
	}
	if len(raw) > MaxURLLen {
		return URLMalformed
	}
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c <= ' ' || c == 0x7f {
			return URLMalformed
		}
	}
	if !utf8.ValidString(raw) {
		return URLMalformed
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" || u.Host == "" || u.Hostname() == "" {
		return URLMalformed
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return 0
	case "http":
		if live {
			return URLInsecure
		}
		return 0
	}
	return URLMalformed
}

// ValidateURL is CheckURL as an error: nil when raw is acceptable, otherwise
// a *URLError for field matching ErrInvalidURL.
func ValidateURL(field URLField, raw string, live bool) error {
	if p := CheckURL(raw, live); p != 0 {
		return &URLError{Field: field, Problem: p}
	}
	return nil
}
