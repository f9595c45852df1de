package relink

import (
	"hash/maphash"
	"sync/atomic"
)

// limitIndex maps account IDs to their *accountRequests for readers that
// hold no lock: MemoryStore's limit read (limitOf). It is typed, so a
// lookup hashes the ID's bytes directly (maphash, with a random seed, so
// hostile IDs cannot pick their buckets) rather than through an interface
// as sync.Map does. Writers hold the store's mutex; a reader sees either
// the table before a write or after it. Entries are never changed once
// published: an insert prepends to its bucket's chain, and growing builds
// a new table of fresh entries and publishes it whole. The zero
// limitIndex is empty.
type limitIndex struct {
	table atomic.Pointer[limitTable]
}

type limitTable struct {
	seed    maphash.Seed
	buckets []atomic.Pointer[limitEntry] // a power of two of them
	n       int                          // entries, for growth; writers only
}

type limitEntry struct {
	id   AccountID
	ar   *accountRequests
	next *limitEntry
}

// load returns the account's entry, or nil.
func (x *limitIndex) load(id AccountID) *accountRequests {
	t := x.table.Load()
	if t == nil {
		return nil
	}
	h := maphash.String(t.seed, string(id))
	for e := t.buckets[h&uint64(len(t.buckets)-1)].Load(); e != nil; e = e.next {
		if e.id == id {
			return e.ar
		}
	}
	return nil
}

// store adds id, which it does not hold; the store's mutex is held.
func (x *limitIndex) store(id AccountID, ar *accountRequests) {
	t := x.table.Load()
	if t == nil {
		t = &limitTable{seed: maphash.MakeSeed(), buckets: make([]atomic.Pointer[limitEntry], 8)}
		x.table.Store(t)
	}
	if t.n >= len(t.buckets) { // load factor 1: grow, publishing the new table whole
		g := &limitTable{seed: t.seed, buckets: make([]atomic.Pointer[limitEntry], 2*len(t.buckets)), n: t.n}
		for i := range t.buckets {
			for e := t.buckets[i].Load(); e != nil; e = e.next {
				g.insert(e.id, e.ar)
			}
		}
		x.table.Store(g)
		t = g
	}
	t.insert(id, ar)
	t.n++
}

func (t *limitTable) insert(id AccountID, ar *accountRequests) {
	b := &t.buckets[maphash.String(t.seed, string(id))&uint64(len(t.buckets)-1)]
	b.Store(&limitEntry{id: id, ar: ar, next: b.Load()})
}
