package relink_test

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/connectkit/connectkit/relink"
)

func drawNumbers(t *rapid.T) []relink.AccountNumber {
	n := rapid.IntRange(0, 3).Draw(t, "numbers")
	out := make([]relink.AccountNumber, n)
	for i := range out {
		out[i].IdentifierType = rapid.SampledFrom([]relink.IdentifierType{relink.IdentifierTokenizedNumber, relink.IdentifierAccountNumber}).Draw(t, "identifier_type")
		out[i].Status = rapid.SampledFrom([]relink.NumberStatus{relink.NumberTransactable, relink.NumberDeactivated}).Draw(t, "number_status")
		if rapid.Bool().Draw(t, "has_expiry") {
			out[i].ExpectedExpiry = relink.TimestampOf(t0.Add(time.Duration(rapid.Int64Range(-90, 90).Draw(t, "expiry_hours_from_t0")) * time.Hour))
		}
	}
	return out
}

// TestEligibility_K2_TANGroundIsMonotoneInTime: once a TAN is within 30
// days of expiry (or expired, or revoked), the account stays eligible on
// that ground at every later instant, until a relink replaces the TAN.
func TestEligibility_K2_TANGroundIsMonotoneInTime(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := activeWithTAN(time.Time{})
		a.AccountNumbers = drawNumbers(t)
		a.Status = rapid.SampledFrom([]relink.AccountStatus{relink.AccountActive, relink.AccountInactive}).Draw(t, "status")
		ask := rapid.SampledFrom([]relink.Ask{dashboardAsk, emailAsk, urlAsk, {Method: relink.MethodAPI, Purpose: relink.PurposeRefreshTAN}}).Draw(t, "ask")
		at := t0.Add(time.Duration(rapid.Int64Range(-60*24, 60*24).Draw(t, "at_hours")) * time.Hour)
		later := at.Add(time.Duration(rapid.Int64Range(0, 400*24*3600).Draw(t, "later_seconds")) * time.Second)

		holds, from := a.TANGround(at)
		holdsLater, _ := a.TANGround(later)
		if holds && !holdsLater {
			t.Fatalf("TAN ground held at %v but not at %v", at, later)
		}
		if !holds && !from.IsZero() {
			if h, _ := a.TANGround(from); !h {
				t.Fatalf("TAN ground does not hold at its own from %v", from)
			}
			if h, _ := a.TANGround(from.Add(-time.Second)); h {
				t.Fatalf("TAN ground holds before its from %v", from)
			}
		}
		tanReason := func(d relink.Decision) bool {
			return d.Reasons.Has(relink.ReasonNoRelinkGround) || d.Reasons.Has(relink.ReasonNoTANToRefresh)
		}
		if d, dl := check(a, ask, relink.Limit{}, at), check(a, ask, relink.Limit{}, later); !tanReason(d) && tanReason(dl) {
			t.Fatalf("eligible on the TAN ground at %v (%v) but not at %v (%v)", at, d, later, dl)
		}

		// A relink replaces the TAN: the old one is deactivated and a new
		// one expiring far away is transactable. The ground no longer holds.
		if holds && rapid.Bool().Draw(t, "relinked") {
			for i := range a.AccountNumbers {
				if a.AccountNumbers[i].IsTAN() {
					a.AccountNumbers[i].Status = relink.NumberDeactivated
				}
			}
			a.AccountNumbers = append(a.AccountNumbers, relink.AccountNumber{
				IdentifierType: relink.IdentifierTokenizedNumber,
				Status:         relink.NumberTransactable,
				ExpectedExpiry: relink.TimestampOf(at.Add(365 * day)),
			})
			if h, _ := a.TANGround(at); h {
				t.Fatalf("TAN ground still holds after the TAN was replaced: %+v", a.AccountNumbers)
			}
		}
	})
}

// TestParseAccount_RoundTrip: every valid account survives MarshalJSON and
// ParseAccount unchanged.
func TestParseAccount_RoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := relink.Account{
			ID:       relink.AccountID(rapid.StringMatching(`fca_[A-Za-z0-9]{1,12}`).Draw(t, "id")),
			Livemode: rapid.Bool().Draw(t, "livemode"),
			Status:   rapid.SampledFrom([]relink.AccountStatus{relink.AccountActive, relink.AccountInactive, relink.AccountDisconnected}).Draw(t, "status"),
		}
		if a.Status == relink.AccountInactive {
			a.Inactive.Action = rapid.SampledFrom([]relink.Action{relink.ActionNone, relink.ActionRelinkRequired}).Draw(t, "action")
			a.Inactive.Cause = relink.Cause(rapid.SampledFrom([]string{"access_expired", "account_closed", "brand_new_cause"}).Draw(t, "cause"))
		}
		a.Holder.Type = rapid.SampledFrom([]relink.HolderType{"", relink.HolderCustomer, relink.HolderAccount}).Draw(t, "holder_type")
		a.Holder.Email = rapid.SampledFrom([]string{"", "jenny@example.com"}).Draw(t, "email")
		if err := a.Validate(); err != nil {
			// What Validate refuses need not round-trip; it must be the
			// one shape Stripe's JSON cannot carry: an email with no
			// holder type.
			if a.Holder.Type != "" || a.Holder.Email == "" {
				t.Fatalf("Validate refused %+v: %v", a, err)
			}
			return
		}
		for _, p := range rapid.SliceOfN(rapid.SampledFrom([]string{"balances", "ownership", "future_permission"}), 0, 3).Draw(t, "permissions") {
			a.Permissions = append(a.Permissions, relink.Permission(p))
		}
		a.AccountNumbers = drawNumbers(t)
		data, err := a.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		got, err := relink.ParseAccount(data)
		if err != nil {
			t.Fatalf("ParseAccount(%s): %v", data, err)
		}
		if !equalAccounts(a, got) {
			t.Fatalf("round trip changed the account:\n%+v\n%+v", a, got)
		}
	})
}
