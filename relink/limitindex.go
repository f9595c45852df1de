package relink

import (
	"hash/maphash"
	"math/bits"
	"sync/atomic"
)

// limitIndex maps account IDs to their *accountRequests for readers that
// hold no lock: MemoryStore's limit read (limitOf). It is typed, so a
// lookup hashes the ID's bytes directly, with random keys so that hostile
// IDs cannot pick their buckets (see limitTable.hash), rather than through
// an interface as sync.Map does. Writers hold the store's mutex; a reader sees either
// the table before a write or after it. Entries are never changed once
// published: an insert prepends to its bucket's chain, and growing builds
// a new table of fresh entries and publishes it whole. The zero
// limitIndex is empty.
type limitIndex struct {
	table atomic.Pointer[limitTable]
}

type limitTable struct {
	seed    maphash.Seed
	keys    [3]uint64                    // drawn from seed; see hash
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
	h := t.hash(string(id))
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
		t = newLimitTable(maphash.MakeSeed(), 8)
		x.table.Store(t)
	}
	if t.n >= len(t.buckets) { // load factor 1: grow, publishing the new table whole
		g := newLimitTable(t.seed, 2*len(t.buckets))
		g.n = t.n
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
	b := &t.buckets[t.hash(string(id))&uint64(len(t.buckets)-1)]
	b.Store(&limitEntry{id: id, ar: ar, next: b.Load()})
}

// newLimitTable returns an empty table of n buckets (a power of two)
// hashing with seed.
func newLimitTable(seed maphash.Seed, n int) *limitTable {
	t := &limitTable{seed: seed, buckets: make([]atomic.Pointer[limitEntry], n)}
	for i := range t.keys {
		t.keys[i] = maphash.Comparable(seed, i) | 1
	}
	return t
}

// hash returns the bucket hash of id. IDs of up to 48 bytes (Stripe's
// are 28) are hashed as Go's runtime hashes map keys on CPUs without AES
// instructions (runtime/hash64.go, after wyhash): 16 bytes at a time, the
// last two words overlapping, mixed with the table's random keys by
// 128-bit multiplication, which is cheaper for short keys than maphash's
// call into the runtime. Longer IDs use maphash.
func (t *limitTable) hash(id string) uint64 {
	n := len(id)
	seed := t.keys[0]
	var a, b uint64
	switch {
	case n > 48:
		return maphash.String(t.seed, id)
	case n > 16:
		for s := id; len(s) > 16; s = s[16:] {
			seed = mix(word(s)^t.keys[1], word(s[8:])^seed)
		}
		a, b = word(id[n-16:]), word(id[n-8:])
	case n >= 8:
		a, b = word(id), word(id[n-8:])
	case n >= 4:
		a, b = uint64(word4(id)), uint64(word4(id[n-4:]))
	case n > 0:
		a = uint64(id[0])<<16 | uint64(id[n>>1])<<8 | uint64(id[n-1])
	}
	return mix(t.keys[2]^uint64(n), mix(a^t.keys[1], b^seed))
}

// mix folds the 128-bit product of a and b to 64 bits.
func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// word4 returns the first four bytes of s as a little-endian word.
func word4(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}
