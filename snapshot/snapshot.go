// Package snapshot orders the snapshots Stripe sends of one object, so that
// events applied late, twice or out of order leave the newest one in place.
//
// Stripe's v1 events carry the whole object as it was when the event was
// created ("created", whole seconds) and a unique event ID. A store keeps,
// for each source object (the account, each capability, each person, each
// Financial Connections account), the Mark of the snapshot it last applied;
// an event whose Mark is not After it is stale or a duplicate.
//
// Two events for one object created in the same second are ordered by
// event ID, compared bytewise: Stripe gives no finer order, and any fixed
// order makes every delivery order converge on the same final state. This
// is rule E1 of RULES.md: the newest snapshot of each Stripe object wins;
// each event is applied once; same-second events are ordered by event ID.
package snapshot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/connectkit/connectkit/errkind"
)

// ErrInvalid is matched by the error Mark.Validate returns.
var ErrInvalid = errkind.New(errkind.InvalidInput, "snapshot: invalid mark")

// MaxEventIDLen is the longest event ID a Mark holds, in bytes.
const MaxEventIDLen = 255

// Mark identifies the snapshot an object was last written from: the event's
// creation instant and its ID. The zero Mark is older than every other: an
// object never written from an event.
type Mark struct {
	// Created is the event's creation instant (Stripe's "created").
	Created time.Time `json:"created"`
	// EventID is the event's ID, such as "evt_1Q…".
	EventID string `json:"event_id"`
}

// IsZero reports whether m is the zero Mark.
func (m Mark) IsZero() bool { return m.Created.IsZero() && m.EventID == "" }

// Compare returns -1, 0 or +1 as m is older than, the same as, or newer
// than n: by Created, then by EventID bytewise.
func (m Mark) Compare(n Mark) int {
	if c := m.Created.Compare(n.Created); c != 0 {
		return c
	}
	return strings.Compare(m.EventID, n.EventID)
}

// After reports whether m is newer than n, that is whether a snapshot
// marked m replaces one marked n.
func (m Mark) After(n Mark) bool { return m.Compare(n) > 0 }

// Validate reports whether m can be stored: a non-zero creation instant
// and an event ID of 1 to MaxEventIDLen bytes of printable ASCII (Stripe's
// IDs are). The error matches ErrInvalid.
func (m Mark) Validate() error {
	switch {
	case m.Created.IsZero():
		return fmt.Errorf("%w: no creation instant", ErrInvalid)
	case m.EventID == "" || len(m.EventID) > MaxEventIDLen:
		return fmt.Errorf("%w: event id of %d bytes", ErrInvalid, len(m.EventID))
	case !utf8.ValidString(m.EventID):
		return fmt.Errorf("%w: event id is not UTF-8", ErrInvalid)
	}
	for i := 0; i < len(m.EventID); i++ {
		if c := m.EventID[i]; c <= ' ' || c > '~' {
			return fmt.Errorf("%w: event id byte %#x", ErrInvalid, c)
		}
	}
	return nil
}

// Verdict is what applying a snapshot marked m over one marked stored
// means.
type Verdict uint8

// The verdicts.
const (
	// Newer: m is newer; apply it.
	Newer Verdict = iota + 1
	// Duplicate: m is the snapshot already applied (the same event
	// delivered again); a no-op.
	Duplicate
	// Stale: m is older than what is stored; skip it.
	Stale
)

// String returns "newer", "duplicate" or "stale".
func (v Verdict) String() string {
	switch v {
	case Newer:
		return "newer"
	case Duplicate:
		return "duplicate"
	case Stale:
		return "stale"
	}
	return fmt.Sprintf("Verdict(%d)", uint8(v))
}

// Judge returns the verdict for applying a snapshot marked m over one
// marked stored.
func Judge(stored, m Mark) Verdict {
	switch c := m.Compare(stored); {
	case c > 0:
		return Newer
	case c == 0:
		return Duplicate
	}
	return Stale
}
