package events_test

import (
	"context"
	"errors"
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/events"
	"github.com/connectkit/connectkit/internal/fuzzbudget"
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
		parseBudget.Check(t, "Parse", len(in), func() { _, _ = events.Parse(in) })
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

// parseBudget bounds Parse's allocations: a constant plus a linear bound
// in the input's length.
var parseBudget = fuzzbudget.Budget{Allocs: 1024, AllocsPerByte: 4, Bytes: 256 << 10, BytesPerByte: 64}
