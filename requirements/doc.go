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
// UTF-8 anywhere, in names, reasons and unknown members alike. Add and
// Error.Validate apply the same rules to values built by hand.
package requirements
