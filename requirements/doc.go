// Package requirements models what a connected account owes Stripe: the
// requirement entries (Stripe's dotted field names such as
// "individual.dob.day"), the lists they are in, their deadlines, the
// capabilities they affect, their lifecycle, and the views a platform
// derives from them — whether the account or a capability is disabled,
// whether onboarding is complete, the fields an account link should
// collect, and the Dashboard's "Actions required" list.
//
// # Stripe's word and connectkit's prediction
//
// A Set keeps what Stripe said, losslessly (DESIGN principle 8), hash by
// hash — the account's `requirements` and `future_requirements`, each
// capability's, an Accounts v2 account's — each identified by a Source:
// every field's membership in every list (a field can be currently due and
// pending verification at once: Lists, never one status per field), each
// hash's current deadline and `disabled_reason` verbatim, a capability's
// status, the `errors` and `alternatives` items with their unknown members,
// and every unknown member of every object. Merging hashes never conflicts:
// each keeps its own deadline, and every requirement has its own due date.
//
// What follows from it at an instant is a view that takes `now` and never
// rewrites the lists: Entry.StatusAt (a currently due field whose due date
// has arrived is past due, Q2), DisabledAt and CapabilitiesAt (a Standing:
// disabled when Stripe says so — a disabled_reason, a capability status
// inactive or disabled, a past due field — or when a deadline has since
// passed; Standing.Overdue names the prediction apart), ActionsRequired.
// Nothing here reads the wall clock. An instant equal to a deadline counts
// as "the deadline has arrived".
//
// The rules it enforces are Q1–Q9 of the design catalogue:
//
//   - Q1 the lists currently_due, eventually_due, past_due and
//     pending_verification; future requirements kept apart (Source.Future);
//     information requests from Stripe as their own Kind.
//   - Q2 a requirement still currently due when its deadline arrives is past
//     due and disables the capabilities it affects (the views at now).
//   - Q3, Q4, Q6 the Actions required list, its order, due dates,
//     capabilities, remediation paths and remedies (Set.ActionsRequired,
//     ErrorCode.Remedy).
//   - Q5 collection scopes (Collection, Set.FieldsToCollect).
//   - Q7 submit → pending verification (old errors dropped) → cleared, or
//     due again with an error (Set.Submit, Set.VerificationSucceeded,
//     Set.VerificationFailed).
//   - Q8 the requested reason future_requirements marks what can be
//     collected early.
//   - Q9 only an empty due set means onboarding is complete (Set.Complete).
//
// # Wire formats
//
// DecodeV1 reads a v1 account (or its bare hashes), a capability, or a list
// of capabilities; DecodeV2 an Accounts v2 account. Anything else — an
// event envelope, another object, an empty object — is a *WrongObjectError
// saying what was seen. EncodeV1, EncodeV1Capabilities and EncodeV2 write
// them back: encode(decode(p)) equals p up to list order and null/[]/absent,
// and decode(encode(s)) equals s. Set.MarshalJSON and Set.UnmarshalJSON are
// connectkit's own lossless form for storing a Set.
//
// # Limits
//
// Every decoder is linear in its input and refuses, with an error matching
// ErrMalformed and ErrInvalid, input over the limits of model.go
// (MaxInputBytes, MaxEntries, MaxSources, MaxItems, MaxNameLen,
// MaxTextLen, MaxMembers, MaxMemberBytes) and anything PostgreSQL could
// not store as text or jsonb: NUL (also as the escape \u0000) and invalid
// UTF-8 anywhere, in names, reasons and unknown members alike, and — as
// encoding/json would read them lossily or ambiguously — an object with a
// member twice and an escaped lone surrogate (\ud800). The input is
// checked once, in one allocation-free pass (internal/jsonexact.Check,
// shared with packages relink and events), then split without parsing it
// again. Member names match exactly at every level, never ignoring case.
// A hash sent as null is absent. Add and Error.Validate apply the same
// rules to values built by hand.
//
// # Benchmarks
//
// go test -bench on a shared 2-core AMD EPYC (Go's b.Loop; 10–20% between
// runs). BenchmarkDecodeV1 decodes an account with n fields currently and
// eventually due (every tenth pending, with an error and an alternative);
// BenchmarkActionsRequired lists that account merged with a capability's
// hash of every other field, at an instant past the capability's
// deadline, and BenchmarkAppendActionsRequired the same into one reused
// buffer; BenchmarkSetUnmarshalJSON reads that Set back from its JSON.
// All linear in n, in either order (medians of 3, sorted order):
//
//	                        n=100     n=1000    n=10000
//	DecodeV1                 50 µs    0.48 ms   5.3 ms    (158 / 1,345 / 13,159 allocs)
//	ActionsRequired         8.3 µs    88 µs     0.87 ms   (5–8 allocs)
//	AppendActionsRequired   6.5 µs    63 µs     0.63 ms   (4–7 allocs)
//	Set.UnmarshalJSON        49 µs    0.47 ms   4.35 ms   (45 / 249 / 2,243 allocs; ~270 MB/s)
//
// ActionsRequired allocates the list (128 bytes an action); in a benchmark
// whose live heap is tiny, the collections that triggers cost about 2 µs
// of its time at n=100 (6.5 µs with GOGC=off). AppendActionsRequired,
// listing into a buffer the caller reuses, does the same work without
// them. Set.UnmarshalJSON sizes every slice from the validation pass's
// array lengths (jsonexact.Options.Arrays) and cuts its strings from a few
// chunks: 68 µs and 284 allocs at n=100 before. DecodeV1 reads each list's
// plain strings in place and makes a field a string once, however many
// lists name it: 66 µs / 0.77 ms / 11.5 ms (15.9 MB) before.
//
// BenchmarkAlternatives reads the alternatives shape (n fields, each an
// original of 4 items of n alternative fields): decode 0.15 / 1.7 / 18.7
// ms, Entries 0.07 / 0.73 / 4.2 ms, ActionsRequired 9 µs / 0.11 / 0.74 ms
// at n=100/1000/10000. Entries copied each item once per field it lists
// before: 0.52 ms and 0.77 MB at n=100, 52 ms and 66 MB at n=1000 (n²).
package requirements
