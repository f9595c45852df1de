// Package connectkit is an embeddable SDK for platforms that run connected
// accounts, Stripe-Connect style. It decides, correctly and explainably:
//
//   - which requirements an account owes, when they fall past due, which
//     capabilities that disables, and in which order to show them
//     (package requirements);
//   - what the platform may do to an account: create it, remove it, send
//     and pull funds, edit it, see its support cases (package account);
//   - whether an account link or a remediation link may be made, by whom,
//     where it opens, when it expires, and what happens after four failed
//     verifications (package links);
//   - whether a Financial Connections account may be asked to relink, and
//     whether the 48-hour limit allows it now (package relink);
//   - which Dashboard team role may do what (package roles);
//   - how Stripe's webhook events change the platform's state — applied
//     once and in order, newest snapshot winning (E1), with a report of
//     what changed (package events, on package snapshot's ordering).
//
// Every error is classified by one call, errkind.Of (package errkind):
// invalid input, not found, denied, conflict, outcome unknown, and so on.
//
// # How the packages fit
//
// roles and requirements stand alone. account holds an Account aggregate
// (with its requirements.Set) and checks roles; links builds on account;
// relink needs only roles. clock supplies time. events applies Stripe's
// webhooks through account and relink, judging each by snapshot's marks;
// errkind classifies the errors of every package. Each package with state has
// a Store interface, an in-memory implementation, and a conformance suite
// in its ...test companion package (accounttest, linkstest, relinktest)
// that any database adapter runs; examples/pgstore is a PostgreSQL one.
// The same ...test packages export rapid generators for property tests of
// your own policies, and package counterexample proves such a property
// catches a deliberately broken rule.
//
// # Decisions, time and storage
//
// Every check is a pure function of its inputs and an explicit instant: it
// never reads the wall clock, and it returns a decision value that says yes
// or no and why, with stable reason codes, the rule ID (such as L7 or K3)
// and a sentence. RULES.md, at the root of the repository, defines every
// rule ID: what the rule says, its source, and where it is implemented and
// tested. Service types hold a clock.Clock and a Store and offer the
// convenience forms. Every Store write is conditional (an expected version,
// "still unused", "no open request in the last 48 hours"), so replicas
// racing on one account cannot both win; the in-memory stores are safe for
// concurrent use and implement exactly that contract. The library starts no
// goroutines and does no I/O of its own.
//
// # A short example in prose
//
// A platform service loads an account through its account.Store, advances
// its requirements to now, and shows the Actions-required list. When a
// support agent asks for a remediation link, links checks the agent's roles
// (L7) and the account's representative and payout account (L8), stores
// only the token's hash, and says where the link opens (L9). Run
// "go run ./examples/tour" for the whole story.
package connectkit
