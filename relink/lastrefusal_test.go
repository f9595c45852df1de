package relink_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

// TestService_K3_RepeatedAskDecidesAsCanRequest: MemoryStore remembers an
// account's last refusal with what it was decided from, and Service
// reuses that decision when an ask comes again with the very same values.
// Whatever the caller changes in between, in place (a permission, an
// account number's expiry or networks, an unknown member, the ask's
// permissions, a holder's members, the Service's Policy or confirmed
// emails) or by time alone (across the limit's end and a TAN ground's
// start), every decision must be CanRequest's over the stored requests
// (K3, K2, K6), and the error must say the same.
func TestService_K3_RepeatedAskDecidesAsCanRequest(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		pol := roles.Default()
		emails := []string{"dev@platform.test", "jenny@example.com"}
		s := &relink.Service{Store: relink.NewMemoryStore(), Rand: new(counter), Policy: &pol, ConfirmedEmails: emails}

		acct := inactive()
		if rapid.Bool().Draw(t, "active_with_tan") {
			acct = activeWithTAN(t0.Add(time.Duration(rapid.IntRange(28, 36).Draw(t, "tan_expiry_days")) * day))
			acct.AccountNumbers[0].SupportedNetworks = []relink.Network{"ach"}
		}
		acct.Livemode = rapid.Bool().Draw(t, "livemode")
		acct.Extra = map[string]json.RawMessage{}
		if rapid.Bool().Draw(t, "holderless") { // valid while Holder.Extra stays empty
			acct.Holder = relink.Holder{Extra: map[string]json.RawMessage{}}
		}
		ask := rapid.SampledFrom([]relink.Ask{dashboardAsk, emailAsk,
			{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryEmail, Purpose: relink.PurposeRefreshTAN},
		}).Draw(t, "ask")
		ask.Permissions = []relink.Permission{relink.PermissionBalances}
		now := t0

		for i := range rapid.IntRange(1, 30).Draw(t, "steps") {
			switch step := rapid.IntRange(0, 12).Draw(t, fmt.Sprintf("step%d", i)); step {
			case 0:
				acct.Permissions[0] = relink.Permission(rapid.SampledFrom([]string{"balances", "payment_method", "bad\x00", "\xff"}).Draw(t, "permission"))
			case 1:
				if len(acct.AccountNumbers) > 0 {
					acct.AccountNumbers[0].ExpectedExpiry = relink.TimestampOf(now.Add(time.Duration(rapid.IntRange(-10, 60).Draw(t, "expiry_days")) * day))
				}
			case 2:
				if len(acct.AccountNumbers) > 0 {
					acct.AccountNumbers[0].SupportedNetworks[0] = relink.Network(rapid.SampledFrom([]string{"ach", "\x00"}).Draw(t, "network"))
				}
			case 3:
				for j := range rapid.SampledFrom([]int{1, relink.MaxListLen + 1}).Draw(t, "members") {
					acct.Extra[fmt.Sprintf("m%d", j)] = json.RawMessage(`1`)
				}
			case 4:
				clear(acct.Extra)
			case 5:
				ask.Permissions[0] = relink.Permission(rapid.SampledFrom([]string{"balances", "ownership"}).Draw(t, "ask_permission"))
				ask.Purpose = rapid.SampledFrom([]relink.Purpose{relink.PurposeUnspecified, relink.PurposeRefreshTAN, relink.PurposeChangePermissions}).Draw(t, "purpose")
			case 6:
				if rapid.Bool().Draw(t, "deny_relink") {
					pol, _ = roles.NewPolicy(nil)
				} else {
					pol = roles.Default()
				}
			case 7:
				emails[1] = rapid.SampledFrom([]string{"jenny@example.com", "other@example.com"}).Draw(t, "confirmed")
			case 8:
				now = now.Add(time.Duration(rapid.Int64Range(1, 3*24*3600).Draw(t, "seconds")) * time.Second)
			case 9:
				if reqs, _ := s.Store.ListByAccount(ctx, acct.ID); len(reqs) > 0 && reqs[len(reqs)-1].Status == relink.RequestPending {
					if rapid.Bool().Draw(t, "complete") {
						_, _ = s.CompleteAt(ctx, reqs[len(reqs)-1].ID, "", now)
					} else {
						_, _ = s.FailAt(ctx, reqs[len(reqs)-1].ID, "", now)
					}
				}
			case 11:
				if acct.Holder.Extra != nil && len(acct.Holder.Extra) == 0 {
					acct.Holder.Extra["x"] = json.RawMessage(`1`)
				} else {
					clear(acct.Holder.Extra)
				}
			case 10: // an API relink: a stored request that sets no limit
				_, _, _ = s.RequestAt(ctx, acct, apiAsk, now)
			default: // ask as it is
			}
			reqs, err := s.Store.ListByAccount(ctx, acct.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := relink.CanRequest(pol, ask, acct, relink.LimitOf(reqs), emails, now)
			_, got, err := s.RequestAt(ctx, acct, ask, now)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("step %d: Service decided other than CanRequest (-want +got):\n%s", i, diff)
			}
			var de *relink.DecisionError
			if want.Allowed != (err == nil) || (err != nil && (!errors.As(err, &de) || !cmp.Equal(de.Decision, want))) {
				t.Fatalf("step %d: error %v for decision %v", i, err, want)
			}
		}
	})
}

// TestService_K2_RepeatedRefusalEndsWhenTANGroundStarts: an account whose
// TAN expires in 31 days has no relink ground until 30 days before
// expiry; an email ask refused for that is refused again with the same
// values, until the instant the ground starts, when the same ask is
// allowed (K2), although nothing but the time changed.
func TestService_K2_RepeatedRefusalEndsWhenTANGroundStarts(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t0)
	acct := activeWithTAN(t0.Add(31 * day))
	from := t0.Add(day)
	if _, _, err := s.RequestAt(ctx, acct, apiAsk, t0); err != nil { // stored, sets no limit
		t.Fatal(err)
	}
	for _, at := range []time.Time{t0, t0.Add(time.Hour), from.Add(-time.Second)} {
		_, d, err := s.RequestAt(ctx, acct, emailAsk, at)
		if !errors.Is(err, relink.ErrNotEligible) || !d.Reasons.Has(relink.ReasonNoRelinkGround) || !d.NextPossibleAt.Equal(from) {
			t.Fatalf("at %v: %v, %v; want refused for no ground until %v", at, d, err, from)
		}
	}
	if _, d, err := s.RequestAt(ctx, acct, emailAsk, from); err != nil || !d.Allowed {
		t.Fatalf("at %v, when the TAN ground starts: %v, %v; want allowed", from, d, err)
	}
}

// TestService_K2_HolderFilledInPlaceIsDecidedAgain: an account with no
// holder type is valid only while its Holder is empty; a Holder.Extra map
// filled in place (no byte of the Account changes) makes it invalid input,
// and the remembered refusal must not vouch for it, whether the same ask
// comes again or another (found in review: both said "no holder").
func TestService_K2_HolderFilledInPlaceIsDecidedAgain(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t0)
	acct := inactive()
	acct.Holder = relink.Holder{Extra: map[string]json.RawMessage{}}
	if _, _, err := s.RequestAt(ctx, acct, apiAsk, t0); err != nil { // stored: the account has a slot
		t.Fatal(err)
	}
	if _, d, _ := s.RequestAt(ctx, acct, emailAsk, t0); !d.Reasons.Has(relink.ReasonNoHolder) {
		t.Fatalf("setup: %v, want refused for no holder", d)
	}
	acct.Holder.Extra["x"] = json.RawMessage(`1`)
	if acct.Validate() == nil {
		t.Fatal("setup: an untyped holder with members validates")
	}
	for name, ask := range map[string]relink.Ask{"same ask": emailAsk, "another ask": dashboardAsk} {
		want := relink.CanRequest(roles.Default(), ask, acct, relink.Limit{}, nil, t0)
		if !want.Reasons.Has(relink.ReasonInvalidInput) {
			t.Fatalf("setup: CanRequest says %v", want)
		}
		got, err := s.DecideAt(ctx, acct, ask, t0)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: Service decided other than CanRequest (-want +got):\n%s", name, diff)
		}
		if _, got, _ := s.RequestAt(ctx, acct, ask, t0); !cmp.Equal(want, got) {
			t.Errorf("%s: RequestAt decided %v, want %v", name, got, want)
		}
	}
}
