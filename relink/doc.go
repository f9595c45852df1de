// Package relink decides when a Financial Connections account may be
// relinked, and keeps relink requests under the 48-hour limit.
//
// A customer's linked bank account can go inactive (a changed password,
// revoked access, new MFA at the bank) or carry a tokenized account number
// (TAN) about to expire. A relink asks the customer to repair it. This
// package models the account (K1), the three ways to ask (K3: the
// Dashboard, a hosted session through the API, API relink), the purposes
// (K5: reactivate, refresh a TAN, change permissions), eligibility (K2, K6),
// account selection (K4) and the request lifecycle.
//
// # Deciding
//
// CanRequest is a pure function of the roles Policy, an Ask (who asks and
// how), an Account, the Limit past requests impose (LimitOf), the platform's
// confirmed sandbox emails and an explicit now. It returns a Decision with
// every failing Reason as a bitset, and NextPossibleAt (DelayFrom, for a
// Retry-After) when time alone stands in the way. It does not allocate. A
// Decision encodes as connectkit's one JSON decision shape. PlanCampaign
// decides many accounts at once into eligible now, later (and when) and
// never (and why).
//
// # Storing
//
// Service decides, then writes through a Store, whose CreateRequest is one
// conditional write: of 64 replicas racing on one account, one creates the
// request. MemoryStore is the in-memory Store; package relinktest holds the
// conformance suite every Store must pass.
//
// # Stripe's events
//
// A Store is also an AccountStore: the Financial Connections accounts, each
// with the snapshot.Mark of the newest Stripe event applied and a version.
// Service.ApplyAccountSnapshot applies a financial_connections.account.*
// event's account (ParseAccount) with one conditional write, skipping
// stale and duplicate events, and reports the eligibility before and after
// and the deadline (AccountApplied). ParseSession and
// Service.ApplySessionResult apply financial_connections.session.updated
// (BETA): its relink_result completes or fails the matching pending
// request. Service.Campaign plans a campaign over the stored accounts.
//
// # Decisions where the sources are silent or disagree
//
// The seeds (Stripe's hosted relink and relink overview pages) win over the
// rule catalogue. Where they are silent, this package decides as follows.
//
//   - 30 days. A TAN whose expected expiry is at most ExpiryHorizon (30 × 24
//     hours) after now is "within the next 30 days": exactly 30 days is
//     eligible, 30 days and one second is not.
//   - Expired and revoked TANs. A transactable TAN whose expiry has already
//     passed is eligible: Stripe says relinking an account with an expired
//     TAN requests a new one, which is the very repair relink exists for.
//     An account whose TANs are all deactivated (expired or revoked) is
//     eligible on the same ground. So the TAN ground is monotone in time:
//     once it holds it holds until a relink replaces the TAN.
//   - Disconnected. A disconnected account is never eligible, by any
//     method: disconnection withdraws Stripe's access for good, and a new
//     account must be collected. The overview's "API relink can relink any
//     account" is read as "without the hosted criteria", not as "even a
//     disconnected one".
//   - Not repairable. An inactive account whose status_details.inactive
//     .action is "none" is never eligible: Stripe reports that no relink can
//     repair it (a closed bank account, for example).
//   - The email. The Dashboard seed requires a holder "with a provided email
//     address", because Stripe emails the customer. Hosted relink through
//     the API with URL delivery emails no one, and the overview's criteria
//     for it name only "a Customer object or an Account object": no email is
//     required there, and K6 (sandbox emails) does not apply. With email
//     delivery an email is required, and in a sandbox it must be confirmed.
//   - The limit, and what resets it. The limit applies exactly where Stripe
//     emails the customer (Dashboard, hosted API by email), and those
//     requests share one window per account. A request at t blocks the next
//     until t+48h; at t+48h exactly the next is allowed, at t+47h59m59s it
//     is not. Only a request the customer completes (succeeded) resets it:
//     the overview says "after your customer completes a relink request",
//     and the French seed's "terminée" translates "completed". A failed,
//     cancelled or expired request still counts, so that cancelling and
//     re-sending cannot email a customer more than once in 48 hours.
//   - Expired. Stripe's relink sessions have no "expired" status;
//     RequestExpired is connectkit's, for a request that lapsed unanswered.
//   - Permissions. The overview's table of which methods update data
//     permissions reached us without its marks. Hosted relink must relink
//     exactly the same account with no way to ask for other permissions, so
//     PurposeChangePermissions needs API relink.
//   - Roles. Only MethodHostedDashboard is asked by a Dashboard user; its roles
//     must allow roles.RequestRelink. The API methods use the platform's
//     key and check no role.
//   - Unknown wire values. Status, the active and inactive actions, holder
//     type, account number status, delivery method and request status
//     decide behaviour, so unknown values are rejected (ErrInvalid).
//     Causes, permissions, identifier types, supported networks and
//     failure reasons are informational and Stripe adds to them, so
//     unknown values are kept; so are unknown members (Account.Extra).
//   - Stripe's own signal. An active account whose
//     status_details.active.action is relink_required is eligible for
//     hosted relink like an inactive one, and Decision.Deadline carries its
//     expected_deactivation_date; campaigns ask those first, soonest
//     deactivation first.
//   - Authorizations. Stripe scopes a relink session to an authorization
//     (relink_options.authorization) and optionally an account; the
//     48-hour limit and K4 stay per account, and a request records its
//     authorization. A session that names no account is
//     Ask.AllowOtherAccount (API relink only).
package relink
