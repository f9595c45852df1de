package snapshot_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/connectkit/connectkit/snapshot"
)

var t0 = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func TestJudge_E1_NewerDuplicateOrStale(t *testing.T) {
	a := snapshot.Mark{Created: t0, EventID: "evt_a"}
	b := snapshot.Mark{Created: t0, EventID: "evt_b"}
	later := snapshot.Mark{Created: t0.Add(time.Second), EventID: "evt_0"}
	for _, tt := range []struct {
		stored, m snapshot.Mark
		want      snapshot.Verdict
	}{
		{snapshot.Mark{}, a, snapshot.Newer},
		{a, a, snapshot.Duplicate},
		{a, b, snapshot.Newer},
		{b, a, snapshot.Stale},
		{b, later, snapshot.Newer},
		{later, b, snapshot.Stale},
	} {
		if got := snapshot.Judge(tt.stored, tt.m); got != tt.want {
			t.Errorf("Judge(%v, %v) = %v, want %v", tt.stored, tt.m, got, tt.want)
		}
	}
}

// TestJudge_E1_AnyOrderConverges: applying marks in any delivery order, keeping
// each Newer one, ends on the greatest mark: the order is total.
func TestJudge_E1_AnyOrderConverges(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		marks := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) snapshot.Mark {
			return snapshot.Mark{
				Created: t0.Add(time.Duration(rapid.IntRange(0, 3).Draw(t, "sec")) * time.Second),
				EventID: fmt.Sprintf("evt_%d", rapid.IntRange(0, 5).Draw(t, "id")),
			}
		}), 1, 12).Draw(t, "marks")
		order := rapid.Permutation(marks).Draw(t, "order")
		var stored snapshot.Mark
		for _, m := range order {
			if snapshot.Judge(stored, m) == snapshot.Newer {
				stored = m
			}
		}
		want := slices.MaxFunc(marks, snapshot.Mark.Compare)
		if stored != want {
			t.Fatalf("ended on %v, want %v", stored, want)
		}
	})
}

func TestMarkValidate(t *testing.T) {
	for _, tt := range []struct {
		m  snapshot.Mark
		ok bool
	}{
		{snapshot.Mark{Created: t0, EventID: "evt_1"}, true},
		{snapshot.Mark{EventID: "evt_1"}, false},
		{snapshot.Mark{Created: t0}, false},
		{snapshot.Mark{Created: t0, EventID: "evt\x00"}, false},
		{snapshot.Mark{Created: t0, EventID: "evt \xff"}, false},
		{snapshot.Mark{Created: t0, EventID: strings.Repeat("e", snapshot.MaxEventIDLen+1)}, false},
	} {
		err := tt.m.Validate()
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, snapshot.ErrInvalid)) {
			t.Errorf("Validate(%q) = %v, want ok=%v", tt.m.EventID, err, tt.ok)
		}
	}
	if !(snapshot.Mark{}).IsZero() || (snapshot.Mark{EventID: "x"}).IsZero() {
		t.Fatal("IsZero")
	}
}
