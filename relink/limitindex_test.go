package relink

import (
	"fmt"
	"sync"
	"testing"

	"pgregory.net/rapid"
)

// TestLimitIndex_MatchesMap checks the lock-free index MemoryStore reads
// the limit through against a plain map, across growth: every stored ID
// finds its own entry and no other ID finds one.
func TestLimitIndex_MatchesMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var x limitIndex
		model := map[AccountID]*accountRequests{}
		ids := rapid.SliceOfDistinct(rapid.StringN(0, 12, -1), rapid.ID[string]).Draw(t, "ids")
		for _, id := range ids {
			ar := new(accountRequests)
			x.store(AccountID(id), ar)
			model[AccountID(id)] = ar
		}
		for _, id := range append(ids, rapid.StringN(0, 12, -1).Draw(t, "probe")) {
			if got, want := x.load(AccountID(id)), model[AccountID(id)]; got != want {
				t.Fatalf("load(%q) = %p, want %p", id, got, want)
			}
		}
	})
}

// TestLimitIndex_ReadsWhileGrowing reads every published entry while one
// writer grows the table (run it with -race): a reader sees each ID it was
// told about, whichever table it loads.
func TestLimitIndex_ReadsWhileGrowing(t *testing.T) {
	var x limitIndex
	const n = 2000
	published := make(chan AccountID, n)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(published)
		for i := range n {
			id := AccountID(fmt.Sprintf("fca_%d", i))
			x.store(id, new(accountRequests))
			published <- id
		}
	}()
	var seen []AccountID
	for id := range published {
		seen = append(seen, id)
		for _, s := range seen[max(0, len(seen)-8):] {
			if x.load(s) == nil {
				t.Fatalf("load(%q) after its store found nothing", s)
			}
		}
	}
	wg.Wait()
	for _, s := range seen {
		if x.load(s) == nil {
			t.Fatalf("load(%q) found nothing", s)
		}
	}
}
