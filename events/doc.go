// Package events applies Stripe's webhook events to a platform's state — in
// order, once, with a report of what changed (issue 14).
//
// Events arrive late, twice and out of order, and a stale account.updated
// applied after a newer one silently revokes or restores payouts. Parse reads
// a v1 event envelope (`"object": "event"`, with the resource in data.object)
// or a v2 thin event (`"object": "v2.core.event"`, with related_object only),
// bounded (MaxEventBytes, MaxDepth, no NUL, valid UTF-8); a malformed payload
// is an error matching ErrInvalid. A Handler applies the event through the
// account Service (and the relink Service for Financial Connections events),
// each with one conditional write, and returns a Report.
//
// # Order and once
//
// Every stored object remembers the snapshot.Mark (creation instant, then
// event ID) of the newest event applied from each Stripe object it is built
// from: the account, each capability, each person, the deauthorization
// (account.Marks), each Financial Connections account. An older event is
// skipped and reported stale; the same event again is a duplicate; two
// events created in the same second are ordered by event ID, so every
// delivery order of a set of events converges on the state of applying them
// in created order (rule E1). Each object writes only its own part of the account —
// account.updated the account's own requirements hashes and details,
// capability.updated that capability's hashes — so the parts never overwrite
// each other (Q1: Stripe's lists as its newest snapshot gives them). The
// write is conditional on the version read; a writer that loses re-reads and
// judges again, so of 64 replicas delivering the same event one applies it,
// and of an older and a newer event delivered concurrently the newer wins.
//
// A deauthorized account (A6) is removed for the platform for good; it still
// records Stripe's later-delivered snapshots (so delivery orders converge),
// while every platform operation on it stays refused.
//
// # Reports
//
// A Report names the event, its outcome (applied, stale, duplicate,
// unhandled) and, when applied, the Changes — computed as views at the
// instant given (Handler.ApplyAt's now), so a deadline that passed while the
// event was in flight shows as past due (Q2): requirements newly currently
// due, past due or cleared; capabilities newly disabled or re-enabled, with
// Stripe's reason; deadlines moved (Q4); Stripe's disabled_reason changed;
// the account removed; the L8 facts (the representative's name and date
// of birth, an external payout account); the details an account.updated
// writes (country, email, business name) and the capabilities requested;
// a Financial
// Connections account newly eligible for relink and by when (K2, K4); a
// relink request completed or failed. Changes.Then composes the reports of
// an in-order run into the difference between the first and the final
// state.
//
// # Unknown types and v2 thin events
//
// An event of a type connectkit does not apply is OutcomeUnhandled, never an
// error: acknowledge it, or the webhook is retried for days. A v2 thin event
// carries no object and the library does no I/O: fetch its related object
// and call Handler.ApplyFetched, which applies the same guards. The
// Handler applies the v2.core.account events (the v2 requirements),
// v2.core.account.closed (removed, A6) and v2.core.account_person.* (the
// L8 facts, as for v1 person events). The fetched object is the object's
// current state, but it is judged by the thin event's Mark: a fetch made
// for an older event is stale even if it is recent (see
// Handler.ApplyFetchedAt).
//
// # Performance
//
// Measured on a shared 2-core AMD EPYC (go test -bench, Go's b.Loop; figures
// vary by about 15% between runs on that machine):
//
//   - BenchmarkApply_AccountUpdated100 — one account.updated with 100
//     requirements applied through account.MemoryStore (read, judge,
//     decode, one conditional write, the report): about 0.33–0.39 ms,
//     398 KB and 477 allocations per event.
//   - BenchmarkParse — Parse of an account.updated with n requirements is
//     linear: n=100 (7 KB) 30 µs, n=1000 (70 KB) 0.24 ms, n=10000
//     (0.7 MB) 2.4 ms, about 250–300 MB/s and 44 allocations whatever n.
//     The checks (JSON, UTF-8, NUL, lone surrogates, members sent twice,
//     depth) are one allocation-free pass of internal/jsonexact.Check;
//     members are then split without parsing again. With the earlier
//     json.Decoder token walk it took 0.29 ms and 1,789 allocations at
//     n=100 (28.6 ms, 140,389 at n=10000).
//   - BenchmarkDecodeAccount (requirements.DecodeV1 underneath, after the
//     same check) and BenchmarkDiff are linear too: about 25–30 MB/s and
//     16 allocations per requirement; Diff 72 µs, 0.66 ms and 6.2 ms at
//     n=100/1000/10000.
package events
