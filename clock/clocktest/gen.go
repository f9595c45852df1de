package clocktest

import (
	"time"

	"pgregory.net/rapid"
)

// defaultJitter is how far from a boundary a "near" draw may land when the
// options do not say.
const defaultJitter = time.Minute

// nearOffsets are the offsets from a boundary that Near favours, in the
// order rapid shrinks towards: exactly on it first.
var nearOffsets = []time.Duration{0, -time.Second, time.Second, -time.Nanosecond, time.Nanosecond}

// Near returns a generator of instants close to t0+d: exactly t0+d, one
// second or one nanosecond either side of it, or anywhere within a minute
// of it. Failing instants shrink to t0+d exactly, then to the nearest of
// the favoured offsets. Pass the boundary from the package under test:
// Near(created, links.DefaultAccountLinkTTL) probes the last instants of an
// account link's life. It is safe for concurrent use.
func Near(t0 time.Time, d time.Duration) *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time { return DrawNear(t, "near", t0, d) })
}

// DrawNear draws one instant as Near does, directly on t, so that a failing
// case prints the offset under label (for example "expiry.offset: -1s").
func DrawNear(t *rapid.T, label string, t0 time.Time, d time.Duration) time.Time {
	return t0.Add(d + drawOffset(t, label, defaultJitter, false))
}

// drawOffset draws an offset from a boundary: one of nearOffsets (whole
// seconds only when whole is set) or a jitter within ±jitter.
func drawOffset(t *rapid.T, label string, jitter time.Duration, whole bool) time.Duration {
	offsets := nearOffsets
	if whole {
		offsets = nearOffsets[:3]
	}
	i := rapid.IntRange(0, len(offsets)).Draw(t, label+".offset_kind")
	if i < len(offsets) {
		return offsets[i]
	}
	if jitter <= 0 {
		jitter = defaultJitter
	}
	if whole {
		s := int64(jitter / time.Second)
		if s < 1 {
			s = 1
		}
		return time.Duration(rapid.Int64Range(-s, s).Draw(t, label+".jitter_seconds")) * time.Second
	}
	return time.Duration(rapid.Int64Range(-int64(jitter), int64(jitter)).Draw(t, label+".jitter"))
}

// Direction says on which side of the reference instant Instant draws.
// The zero Direction is Either.
type Direction uint8

// The directions.
const (
	// Either draws before and after the reference instant.
	Either Direction = iota
	// After draws only at or after the reference instant (deadlines,
	// expiries).
	After
	// Before draws only at or before the reference instant (creation
	// times, last activity).
	Before
)

// InstantOptions bias Instant. The generators know no library durations:
// each package's test kit passes its own constants as Boundaries (for
// example account.InactivityPeriod). With no Boundaries, Instant draws the
// reference instant or an instant within Jitter of it.
type InstantOptions struct {
	// Boundaries are the offsets from the reference instant worth probing,
	// such as the package's TTLs and windows.
	Boundaries []time.Duration
	// Direction restricts the side of the reference instant; the zero
	// value is Either.
	Direction Direction
	// Jitter bounds how far from a boundary a "near" draw may land; zero
	// means one minute.
	Jitter time.Duration
	// WholeSeconds makes every instant a whole second, as Stripe's Unix
	// timestamps and requirement deadlines are.
	WholeSeconds bool
}

// Instant returns a generator of instants around the reference instant:
// the instant itself, an instant at or near one of the boundaries (exactly
// on it, a second or a nanosecond either side, or within Jitter), or any
// instant within the outermost boundary (within Jitter when there is no
// boundary). Failing instants shrink towards around itself, then towards
// the first boundary, exactly on it. A zero
// around means the Unix epoch plus one year, so that instants in the past
// stay valid Stripe timestamps. It is safe for concurrent use.
func Instant(around time.Time, opts InstantOptions) *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time { return DrawInstant(t, "instant", around, opts) })
}

// DrawInstant draws one instant as Instant does, directly on t, so that a
// failing case prints each choice under label.
func DrawInstant(t *rapid.T, label string, around time.Time, opts InstantOptions) time.Time {
	if around.IsZero() {
		around = time.Unix(365*24*3600, 0).UTC()
	}
	if opts.WholeSeconds {
		around = around.Truncate(time.Second)
	}
	bs := opts.Boundaries
	if len(bs) == 0 {
		jitter := opts.Jitter
		if jitter <= 0 {
			jitter = defaultJitter
		}
		bs = []time.Duration{jitter}
	}
	sign := func(name string) time.Duration {
		switch opts.Direction {
		case After:
			return 1
		case Before:
			return -1
		}
		if rapid.Bool().Draw(t, label+"."+name) {
			return -1
		}
		return 1
	}
	mode := 0
	if len(bs) > 0 {
		mode = rapid.IntRange(0, 2).Draw(t, label+".mode")
	}
	var off time.Duration
	switch mode {
	case 1: // near a boundary
		b := rapid.SampledFrom(bs).Draw(t, label+".boundary")
		off = sign("before")*b + drawOffset(t, label, opts.Jitter, opts.WholeSeconds)
		if opts.Direction == After && off < 0 || opts.Direction == Before && off > 0 {
			off = 0
		}
	case 2: // anywhere within the outermost boundary
		limit := bs[0]
		for _, b := range bs {
			limit = maxDuration(limit, absDuration(b))
		}
		unit := time.Nanosecond
		if opts.WholeSeconds {
			unit = time.Second
		}
		n := rapid.Int64Range(0, int64(limit/unit)).Draw(t, label+".within")
		off = sign("earlier") * time.Duration(n) * unit
	}
	return around.Add(off)
}

// DurationOptions bias Duration. Each package's test kit passes its own
// constants as Boundaries. A Duration is never negative; with no
// Boundaries and no Max it is zero or within Jitter.
type DurationOptions struct {
	// Boundaries are the durations worth probing, such as the package's
	// TTLs and windows.
	Boundaries []time.Duration
	// Jitter bounds how far from a boundary a "near" draw may land; zero
	// means one minute.
	Jitter time.Duration
	// Max bounds the uniform draws; zero means the longest boundary.
	Max time.Duration
	// WholeSeconds makes every duration a whole number of seconds.
	WholeSeconds bool
}

// Duration returns a generator of non-negative durations: zero, a boundary
// exactly or nearly (a second or a nanosecond either side, or within
// Jitter), or any duration up to Max. Failing durations shrink towards
// zero, then towards the first boundary exactly. It is safe for concurrent
// use.
func Duration(opts DurationOptions) *rapid.Generator[time.Duration] {
	return rapid.Custom(func(t *rapid.T) time.Duration { return DrawDuration(t, "duration", opts) })
}

// DrawDuration draws one duration as Duration does, directly on t, so that
// a failing case prints each choice under label.
func DrawDuration(t *rapid.T, label string, opts DurationOptions) time.Duration {
	bs := opts.Boundaries
	if len(bs) == 0 && opts.Max <= 0 {
		jitter := opts.Jitter
		if jitter <= 0 {
			jitter = defaultJitter
		}
		bs = []time.Duration{jitter}
	}
	limit := opts.Max
	if limit <= 0 {
		for _, b := range bs {
			limit = maxDuration(limit, b)
		}
	}
	unit := time.Nanosecond
	if opts.WholeSeconds {
		unit = time.Second
	}
	hi := 2
	if len(bs) == 0 {
		hi = 1
	}
	var d time.Duration
	switch mode := rapid.IntRange(0, hi).Draw(t, label+".mode"); {
	case mode == 1 && len(bs) == 0 || mode == 2:
		d = time.Duration(rapid.Int64Range(0, int64(limit/unit)).Draw(t, label+".within")) * unit
	case mode == 1:
		b := rapid.SampledFrom(bs).Draw(t, label+".boundary")
		d = b + drawOffset(t, label, opts.Jitter, opts.WholeSeconds)
	}
	if d < 0 {
		d = 0
	}
	return d
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func maxDuration(a, b time.Duration) time.Duration {
	if a > b {
		return a
	}
	return b
}
