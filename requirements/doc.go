// Package requirements models what a connected account owes Stripe: the
// requirement entries (Stripe's dotted field names such as
// "individual.dob.day"), their statuses and deadlines, the capabilities they
// affect, their lifecycle, and the views a platform derives from them — the
// disabled capabilities, whether onboarding is complete, the fields an
// account link should collect, and the Dashboard's "Actions required" list.
//
// The rules it enforces are Q1–Q9 of the design catalogue:
//
//   - Q1 statuses currently_due, eventually_due, past_due and
//     pending_verification; future requirements kept apart (Entry.Future);
//     information requests from Stripe as their own Kind.
//   - Q2 a requirement still currently due when its deadline arrives becomes
//     past due and disables the capabilities it affects (Set.Advance).
//   - Q3, Q4, Q6 the Actions required list, its order, due dates,
//     capabilities and remediation paths (Set.ActionsRequired).
//   - Q5 collection scopes (Collection, Set.FieldsToCollect).
//   - Q7 submit → pending verification → cleared, or due again with an error
//     (Set.Submit, Set.VerificationSucceeded, Set.VerificationFailed).
//   - Q8 the requested reason future_requirements marks what can be
//     collected early.
//   - Q9 only an empty due set means onboarding is complete (Set.Complete).
//
// Nothing here reads the wall clock: every method that depends on time takes
// `now` explicitly. Deadlines follow Stripe's v1 shape: each of the two hashes
// (requirements and future_requirements) has one current deadline, and it
// applies to the currently due and past due entries of that hash. An instant
// equal to the deadline counts as "the deadline has arrived".
//
// DecodeV1 and EncodeV1 read and write the v1 Account `requirements` and
// `future_requirements` hashes, so that an account.updated webhook payload
// can be fed straight in. They carry only what Stripe's v1 shape can carry.
// What the package does not know is kept, not rejected: unknown field
// names, error codes and disabled reasons, and the unknown members of each
// hash (a member Stripe adds later), which EncodeV1 writes back verbatim.
// Unknown members of the `errors` and `alternatives` items are dropped.
// Set.MarshalJSON and Set.UnmarshalJSON are the lossless form, connectkit's
// own JSON shape for storing a Set: it keeps everything (information
// requests, the capabilities each entry affects, every requested reason,
// the disabled reasons Stripe gave, the unknown hash members) and is
// validated on decode as Add validates, so a stored Set reads back Equal.
package requirements
