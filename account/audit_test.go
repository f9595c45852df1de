package account_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/roles"
)

// The audit trail: a removal records who removed the account and when
// (RemovedBy, RemovedAt at the instant RemoveAt is given), and the Store
// keeps both.
func TestService_A6_RemoveRecordsWhoAndWhen(t *testing.T) {
	ctx := context.Background()
	a := custom("acct_1")
	a.Dashboard = account.DashboardFull
	svc := newService(t, usPlatform(), a)
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	ada := roles.User{ID: "user_ada", Roles: roles.NewSet(roles.Admin)}
	got, _, err := svc.RemoveAt(ctx, ada, "acct_1", at)
	if err != nil || got.RemovedBy != "user_ada" || !got.RemovedAt.Equal(at) {
		t.Fatalf("RemoveAt = RemovedBy %q RemovedAt %v, %v; want user_ada at %v", got.RemovedBy, got.RemovedAt, err, at)
	}
	if stored, _ := svc.Store.Get(ctx, "acct_1"); stored.RemovedBy != "user_ada" || !stored.RemovedAt.Equal(at) {
		t.Errorf("stored: RemovedBy %q RemovedAt %v", stored.RemovedBy, stored.RemovedAt)
	}
}

// The audit trail of funds moves: the receipt names the user (Move.CreatedBy)
// for a send and for a pull.
func TestService_A7_A8_ReceiptRecordsWhoMovedFunds(t *testing.T) {
	ctx := context.Background()
	a := custom("acct_1")
	svc := newService(t, usPlatform(), a)
	ada := roles.User{ID: "user_ada", Roles: roles.NewSet(roles.Admin)}
	bob := roles.User{ID: "user_bob", Roles: roles.NewSet(roles.Owner)}
	if _, err := svc.SendFunds(ctx, ada, "acct_1", usd("5"), account.ToBalance, "key_send"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PullFunds(ctx, bob, "acct_1", usd("1"), "key_pull"); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"key_send": "user_ada", "key_pull": "user_bob"} {
		if r, err := svc.Store.GetReceipt(ctx, key); err != nil || r.Move.CreatedBy != want {
			t.Errorf("receipt %s: CreatedBy %q, %v; want %q", key, r.Move.CreatedBy, err, want)
		}
	}
}

// Every Service method that acts for a user refuses one that fails
// roles.User.Validate (no ID, NUL, invalid UTF-8, too long) with
// roles.ErrInvalidUser, before anything is read or written: such a user
// could not be recorded.
func TestService_A3_A6_A7_InvalidUserIsRefused(t *testing.T) {
	ctx := context.Background()
	a := custom("acct_1")
	a.Dashboard = account.DashboardFull
	svc := newService(t, usPlatform(), a)
	all := roles.NewSet(roles.Owner, roles.Admin, roles.Developer, roles.SupportCommunications)
	for _, id := range []string{"", "user\x00", "user\xff", string(make([]byte, roles.MaxUserIDLen+1))} {
		u := roles.User{ID: id, Roles: all}
		_, _, errCreate := svc.Create(ctx, u, custom("acct_2"))
		_, _, errRemove := svc.Remove(ctx, u, "acct_1")
		_, errSend := svc.SendFunds(ctx, u, "acct_1", usd("1"), account.ToBalance, "key_1")
		_, errPull := svc.PullFunds(ctx, u, "acct_1", usd("1"), "key_2")
		_, _, errInfo := svc.EditAccountInformation(ctx, u, "acct_1", account.Info{})
		_, _, errSched := svc.EditPayoutSchedule(ctx, u, "acct_1", account.PayoutSchedule{})
		_, _, errCases := svc.SupportCases(ctx, u, "acct_1", nil)
		_, errView := svc.ViewAs(ctx, u, "acct_1")
		for name, err := range map[string]error{"Create": errCreate, "Remove": errRemove, "SendFunds": errSend,
			"PullFunds": errPull, "EditAccountInformation": errInfo, "EditPayoutSchedule": errSched,
			"SupportCases": errCases, "ViewAs": errView} {
			if !errors.Is(err, roles.ErrInvalidUser) {
				t.Errorf("%s with user ID %.10q: %v, want roles.ErrInvalidUser", name, id, err)
			}
		}
	}
	if got, _ := svc.Store.Get(ctx, "acct_1"); got.Version != 1 || got.Removed {
		t.Errorf("an invalid user wrote: version %d removed %v", got.Version, got.Removed)
	}
	if _, err := svc.Store.GetReceipt(ctx, "key_1"); !errors.Is(err, account.ErrNotFound) {
		t.Errorf("an invalid user moved funds: %v", err)
	}
}
