package requirements

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/internal/fuzzbudget"
	"github.com/connectkit/connectkit/internal/jsonexact"

	"pgregory.net/rapid"
)

// TestPriorityAt_Q3_AsStatusesSay checks priorityAt, which reads the lists
// as bits and now as an instant, against Q3's rule written with the
// statuses and time.Time: the primary status (pending verification
// counting as eventually due), currently due turned past due once its due
// date has arrived, then information requests, past due, future hashes,
// currently due, eventually due.
func TestPriorityAt_Q3_AsStatusesSay(t *testing.T) {
	ref := func(h *source, e *entry, due, now time.Time) (Priority, Status) {
		if !e.lists.Due() {
			return 0, ""
		}
		st := e.lists.Primary()
		if st == PendingVerification {
			st = EventuallyDue
		}
		if e.lists.Has(CurrentlyDue) && !e.lists.Has(PastDue) && arrived(due, now) {
			st = PastDue
		}
		switch {
		case e.kind == InformationRequest:
			return PriorityInformationRequest, st
		case st == PastDue:
			return PriorityPastDue, st
		case h.key.Future:
			return PriorityFutureRequirement, st
		case st == CurrentlyDue:
			return PriorityCurrentlyDue, st
		}
		return PriorityEventuallyDue, st
	}
	base := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	rapid.Check(t, func(t *rapid.T) {
		h := &source{key: Source{Future: rapid.Bool().Draw(t, "future")}}
		e := &entry{lists: Lists(rapid.IntRange(0, 15).Draw(t, "lists")), kind: rapid.SampledFrom([]Kind{Requirement, InformationRequest}).Draw(t, "kind")}
		var due time.Time
		if rapid.Bool().Draw(t, "has_due") {
			due = base.Add(time.Duration(rapid.Int64Range(-3, 3).Draw(t, "due_ns")))
		}
		now := base.Add(time.Duration(rapid.Int64Range(-3, 3).Draw(t, "now_ns")))
		gp, gs := priorityAt(h, e, due, instantOf(now))
		wp, ws := ref(h, e, due, now)
		if gp != wp || gs != ws {
			t.Fatalf("priorityAt(%v, %+v, due %v, now %v) = %v, %q; want %v, %q", h.key, e, due, now, gp, gs, wp, ws)
		}
	})
}

// TestAppendActionsRequired_Q3_GrownBufferKeepsNoOldAction: a reused
// buffer too small for the next list is grown, and growing copies its
// spare slots, old actions included; none of them may leak into the new
// list (found in review: an eventually due field came out past due with
// another's error).
func TestAppendActionsRequired_Q3_GrownBufferKeepsNoOldAction(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	s1, err := DecodeV1([]byte(`{"object":"account","requirements":{"current_deadline":1700000000,"past_due":["a.x","b.x"],"currently_due":["a.x","b.x"],
		"errors":[{"code":"verification_failed_other","reason":"bad","requirement":"a.x"},{"code":"verification_failed_other","reason":"bad","requirement":"b.x"}]}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := DecodeV1([]byte(`{"object":"account","requirements":{"eventually_due":["p","q","r"]}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := s2.ActionsRequiredWith(now, ActionOptions{})
	buf := s1.AppendActionsRequired(make([]Action, 0, 2), now, ActionOptions{})
	if len(buf) != 2 || cap(buf) != 2 {
		t.Fatalf("setup: len %d cap %d", len(buf), cap(buf))
	}
	got := s2.AppendActionsRequired(buf[:0], now, ActionOptions{})
	if !reflect.DeepEqual(got, want) {
		for i := range got {
			t.Logf("got[%d]  = %+v", i, got[i])
			t.Logf("want[%d] = %+v", i, want[i])
		}
		t.Fatal("AppendActionsRequired(buf[:0]) differs from ActionsRequiredWith")
	}
}

// TestDecodeV1_RepeatedNamesKeepNoRoom: a list naming one field thousands
// of times decodes within the decoders' allocation budget and leaves no
// entries array sized for the repeats (found in review: 23 MB kept for
// one entry).
func TestDecodeV1_RepeatedNamesKeepNoRoom(t *testing.T) {
	n := 20_000
	var b strings.Builder
	b.WriteString(`{"object":"account","requirements":{"currently_due":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"a"`)
	}
	b.WriteString(`]}}`)
	s, err := DecodeV1([]byte(b.String()), nil)
	if err != nil {
		t.Fatal(err)
	}
	in := []byte(b.String())
	// FuzzDecodeV1's own resource property (decodeBudget in v1_test.go).
	fuzzbudget.Budget{Allocs: 1024, AllocsPerByte: 4, Bytes: 256 << 10, BytesPerByte: 64}.Check(t, "DecodeV1", len(in), func() { _, _ = DecodeV1(in, nil) })
	e := s.sources[0].entries
	if cap(e) > 2*len(e)+8 {
		t.Fatalf("one-entry Set keeps an entries array of cap %d", cap(e))
	}
}

// TestSetDecode_EmptyListsStayEmpty: "lists": [] decodes to an empty
// slice, as encoding/json decodes it, not to nil.
func TestSetDecode_EmptyListsStayEmpty(t *testing.T) {
	b := []byte(`{"version":2,"hashes":[{"entries":[{"field":"a","lists":[]}]}]}`)
	var arrays []jsonexact.Array
	if err := checkJSONArrays(b, &arrays); err != nil {
		t.Fatal(err)
	}
	var got, want setJSON
	if _, err := decodeSetJSON(b, arrays, &got); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("lists: got %#v, encoding/json %#v", got.Hashes[0].Entries[0].Lists, want.Hashes[0].Entries[0].Lists)
	}
}

// TestInstant_ReachedAsArrivedAtExtremes: instant.reached answers as
// arrived does for instants far outside years 1–9999, where Unix seconds
// and time.Time's own comparison part ways.
func TestInstant_ReachedAsArrivedAtExtremes(t *testing.T) {
	due := time.Unix(1700000000, 0).UTC()
	for _, now := range []time.Time{time.Unix(math.MaxInt64, 0), time.Unix(math.MinInt64, 0), {}, time.Unix(-1, 5), time.Unix(1<<62, 0), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)} {
		if a, r := arrived(due, now), instantOf(now).reached(due); a != r {
			t.Errorf("now %v (Unix %d): arrived %v, reached %v", now, now.Unix(), a, r)
		}
	}
}
