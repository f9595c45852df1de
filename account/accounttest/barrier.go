package accounttest

import (
	"context"
	"sync"

	"github.com/connectkit/connectkit/account"
)

// Barrier is an account.Store wrapper that makes racers really race, even
// on two cores: each read (Get, GetPlatform, GetReceipt) is passed to the
// wrapped Store and then held until n reads have been made, and all n are
// released together. n racers that each read before writing therefore all
// read the same state before any of them writes, so only the Store's
// conditional write can stop the extra winners — a check in the caller
// cannot refuse the losers early. The first write opens the barrier for
// good: retries and later reads pass straight through.
//
// Every racer must make the same number of reads before its first write,
// or the barrier waits for reads that never come. Use a fresh Barrier per
// race; it is safe for concurrent use.
type Barrier struct {
	account.Store
	n       int
	mu      sync.Mutex
	waiting int
	release chan struct{}
	open    bool
}

// NewBarrier wraps s for a race of n racers.
func NewBarrier(s account.Store, n int) *Barrier {
	return &Barrier{Store: s, n: n, release: make(chan struct{})}
}

func (b *Barrier) wait() {
	b.mu.Lock()
	if b.open {
		b.mu.Unlock()
		return
	}
	ch := b.release
	b.waiting++
	if b.waiting == b.n {
		close(ch)
		b.release, b.waiting = make(chan struct{}), 0
	}
	b.mu.Unlock()
	<-ch
}

func (b *Barrier) opened() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.open {
		b.open = true
		close(b.release)
	}
}

// Get implements account.Store: it reads, then waits at the barrier.
func (b *Barrier) Get(ctx context.Context, id account.ID) (account.Account, error) {
	a, err := b.Store.Get(ctx, id)
	b.wait()
	return a, err
}

// GetPlatform implements account.Store: it reads, then waits at the
// barrier.
func (b *Barrier) GetPlatform(ctx context.Context) (account.Platform, error) {
	p, err := b.Store.GetPlatform(ctx)
	b.wait()
	return p, err
}

// GetReceipt implements account.Store: it reads, then waits at the
// barrier.
func (b *Barrier) GetReceipt(ctx context.Context, key string) (account.Receipt, error) {
	r, err := b.Store.GetReceipt(ctx, key)
	b.wait()
	return r, err
}

// Update implements account.Store and opens the barrier.
func (b *Barrier) Update(ctx context.Context, a account.Account, expected uint64) (account.Account, error) {
	b.opened()
	return b.Store.Update(ctx, a, expected)
}

// UpdatePlatform implements account.Store and opens the barrier.
func (b *Barrier) UpdatePlatform(ctx context.Context, p account.Platform, expected uint64) (account.Platform, error) {
	b.opened()
	return b.Store.UpdatePlatform(ctx, p, expected)
}

// Transfer implements account.Store and opens the barrier.
func (b *Barrier) Transfer(ctx context.Context, p account.Platform, pv uint64, a account.Account, av uint64, mv account.Move) (account.Platform, account.Account, error) {
	b.opened()
	return b.Store.Transfer(ctx, p, pv, a, av, mv)
}
