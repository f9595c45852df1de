package events_test

import (
	"context"
	"errors"
	"runtime/metrics"
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/events"
)

// FuzzParse: Parse never panics; it either refuses the input with
// ErrInvalid or returns an event whose Mark can be stored, whose
// applying neither panics nor fails with anything but a classified error;
// and (the resource property) its allocations are linear in the input.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"v1_envelope_verbatim.json", "v2_thin_ping_verbatim.json", "v2_thin_verbatim.json",
		"account_updated.json", "capability_updated.json", "deauthorized.json", "person_updated.json", "v2_thin_account_requirements.json"} {
		f.Add(load(f, name))
	}
	f.Add([]byte(`{"id":"evt_1","object":"event","type":"person.deleted","created":1,"data":{"object":{"object":"person","id":"p"}}}`))
	f.Add([]byte(`{"object":"event"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		ev, err := events.Parse(in)
		checkBounded(t, in, func() { _, _ = events.Parse(in) })
		if err != nil {
			if !errors.Is(err, events.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		if err := ev.Mark().Validate(); err != nil {
			t.Fatalf("parsed event has an invalid mark: %v", err)
		}
		h, s := setup(t)
		before := stored(t, s)
		r, err := h.ApplyAt(context.Background(), ev, t0)
		if err != nil {
			if !errors.Is(err, events.ErrInvalid) && !errors.Is(err, account.ErrInvalid) && !errors.Is(err, account.ErrNotFound) &&
				!errors.Is(err, events.ErrFetchRequired) {
				t.Fatalf("ApplyAt: unclassified error %v", err)
			}
			if after := stored(t, s); after.Version != before.Version {
				t.Fatalf("a refused event wrote")
			}
			return
		}
		if r.Outcome < events.OutcomeApplied || r.Outcome > events.OutcomeUnhandled {
			t.Fatalf("outcome %v", r.Outcome)
		}
	})
}

func resources(f func()) (mallocs, bytes uint64) {
	ms := []metrics.Sample{{Name: "/gc/heap/allocs:objects"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(ms)
	m0, b0 := ms[0].Value.Uint64(), ms[1].Value.Uint64()
	f()
	metrics.Read(ms)
	return ms[0].Value.Uint64() - m0, ms[1].Value.Uint64() - b0
}

// checkBounded fails when f allocates more than a constant plus a linear
// bound in len(in).
func checkBounded(t *testing.T, in []byte, f func()) {
	t.Helper()
	f()
	mallocs, bytes := resources(f)
	for range 2 {
		m, b := resources(f)
		mallocs, bytes = min(mallocs, m), min(bytes, b)
	}
	if maxM := uint64(1024 + 4*len(in)); mallocs > maxM {
		t.Fatalf("%d allocations for %d input bytes (bound %d)", mallocs, len(in), maxM)
	}
	if maxB := uint64(256<<10 + 64*len(in)); bytes > maxB {
		t.Fatalf("%d bytes allocated for %d input bytes (bound %d)", bytes, len(in), maxB)
	}
}
