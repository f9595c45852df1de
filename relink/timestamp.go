package relink

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Timestamp is an instant Stripe sends as Unix seconds, or its absence
// (null). Valid says which, so that no instant stands for "absent": a Valid
// Timestamp of -62135596800 is 0001-01-01T00:00:00Z, a real (long past)
// instant, although it is time.Time's zero value. The zero Timestamp is
// absent. It is comparable.
type Timestamp struct {
	// Time is the instant; meaningful only when Valid.
	Time time.Time
	// Valid reports whether Stripe sent an instant.
	Valid bool
}

// TimestampOf returns the Valid Timestamp of t.
func TimestampOf(t time.Time) Timestamp { return Timestamp{Time: t, Valid: true} }

// The Unix seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the
// range of Timestamp, so that a hostile value cannot overflow time
// arithmetic.
const (
	MinUnix = -62135596800
	MaxUnix = 253402300799
)

// TimestampFromUnix returns the Valid Timestamp of sec Unix seconds, in
// UTC, or an *InvalidError for field when sec is outside MinUnix…MaxUnix.
func TimestampFromUnix(field string, sec int64) (Timestamp, error) {
	if sec < MinUnix || sec > MaxUnix {
		return Timestamp{}, &InvalidError{Field: field, Value: strconv.FormatInt(sec, 10)}
	}
	return TimestampOf(time.Unix(sec, 0).UTC()), nil
}

// Equal reports whether t and u are both absent, or both the same instant.
func (t Timestamp) Equal(u Timestamp) bool {
	return t.Valid == u.Valid && (!t.Valid || t.Time.Equal(u.Time))
}

// Compare orders Timestamps: absent before every instant, instants by time.
func (t Timestamp) Compare(u Timestamp) int {
	switch {
	case t.Valid && u.Valid:
		return t.Time.Compare(u.Time)
	case t.Valid:
		return 1
	case u.Valid:
		return -1
	}
	return 0
}

// String returns the instant in RFC 3339, or "none" when absent.
func (t Timestamp) String() string {
	if !t.Valid {
		return "none"
	}
	return t.Time.UTC().Format(time.RFC3339)
}

// inRange reports whether t is absent or within MinUnix…MaxUnix.
func (t Timestamp) inRange() bool {
	if !t.Valid {
		return true
	}
	s := t.Time.Unix()
	return s >= MinUnix && s <= MaxUnix
}

// validText reports whether s can be stored and sent anywhere: valid UTF-8,
// no NUL, at most max bytes. It does not allocate.
func validText(s string, max int) bool {
	return len(s) <= max && (s == "" || validBytes(s))
}

// validBytes reports whether s is valid UTF-8 without NUL. The common
// case, printable ASCII, is decided in one pass, eight bytes at a time: no
// byte has its high bit set and none is zero.
func validBytes(s string) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := word(s[i : i+8])
		if w&hi != 0 || (w-lo)&^w&hi != 0 {
			return utf8.ValidString(s[i:]) && strings.IndexByte(s[i:], 0) < 0
		}
	}
	if i < len(s) && len(s) >= 8 {
		i = len(s) - 8 // the last word, overlapping the one before
		if w := word(s[i:]); w&hi == 0 && (w-lo)&^w&hi == 0 {
			return true
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == 0 || c >= utf8.RuneSelf {
			return utf8.ValidString(s[i:]) && strings.IndexByte(s[i:], 0) < 0
		}
	}
	return true
}

// word returns the first eight bytes of s as a little-endian word (the
// compiler makes this one load).
func word(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
