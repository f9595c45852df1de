package relink

import (
	"fmt"
	"hash/maphash"
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
		// Up to 64 bytes: every length class of limitTable.hash.
		ids := rapid.SliceOfDistinct(rapid.StringN(0, 64, 64), rapid.ID[string]).Draw(t, "ids")
		for _, id := range ids {
			ar := new(accountRequests)
			x.store(AccountID(id), ar)
			model[AccountID(id)] = ar
		}
		for _, id := range append(ids, rapid.StringN(0, 64, 64).Draw(t, "probe")) {
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

// TestLimitIndex_SpreadsStripeIDs: 10,000 IDs of Stripe's shape that differ
// only in their last digits (the worst case for a weak hash) spread over
// the buckets as random keys would: no chain longer than 10 (at load
// factor 0.6, random keys give about 6), whatever the table's seed.
func TestLimitIndex_SpreadsStripeIDs(t *testing.T) {
	for range 5 {
		var x limitIndex
		for i := range 10000 {
			x.store(AccountID(fmt.Sprintf("fca_1Pgc76B7WZ01zgkWql%06d", i)), new(accountRequests))
		}
		tb := x.table.Load()
		longest := 0
		for i := range tb.buckets {
			n := 0
			for e := tb.buckets[i].Load(); e != nil; e = e.next {
				n++
			}
			longest = max(longest, n)
		}
		if longest > 10 {
			t.Fatalf("longest chain %d over %d buckets, want at most 10", longest, len(tb.buckets))
		}
	}
}

// TestLimitTable_HashReadsEveryByte: changing any one byte of an ID of
// any length up to 64 changes its hash (for some seed: a collision under
// one seed is possible, under five it is not credible).
func TestLimitTable_HashReadsEveryByte(t *testing.T) {
	tables := make([]*limitTable, 5)
	for i := range tables {
		tables[i] = newLimitTable(maphash.MakeSeed(), 8)
	}
	for n := 1; n <= 64; n++ {
		id := []byte(fmt.Sprintf("%064d", n))[:n]
		for i := range n {
			other := append([]byte(nil), id...)
			other[i] ^= 0x20
			same := true
			for _, tb := range tables {
				if tb.hash(string(id)) != tb.hash(string(other)) {
					same = false
				}
			}
			if same {
				t.Fatalf("length %d: changing byte %d leaves the hash unchanged", n, i)
			}
		}
	}
}
