package bench

// This file is the connectkit side of the relink rows, kept apart and
// small.

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/connectkit/connectkit/relink"
)

// connectkitRelink returns a Service over the in-memory store holding n
// eligible accounts, each with one hosted-email relink request made at
// relinkT0, and a function that asks again for account i%n at relinkT1:
// refused by the 48-hour limit (K3). It reports whether the ask was
// refused by the limit.
func connectkitRelink(tb testing.TB, n int) func(i int) bool {
	ctx := context.Background()
	svc := &relink.Service{Store: relink.NewMemoryStore()}
	ask := relink.Ask{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryEmail}
	accts := make([]relink.Account, n)
	for i := range accts {
		accts[i] = relink.Account{
			ID:          relink.AccountID(fmt.Sprintf("fca_1Pgc76B7WZ01zgkWql%06d", i)),
			Livemode:    true,
			Status:      relink.AccountInactive,
			Inactive:    relink.InactiveDetails{Action: relink.ActionRelinkRequired, Cause: relink.CauseAccessExpired},
			Holder:      relink.Holder{Type: relink.HolderCustomer, Customer: "cus_1", Email: "jenny@example.com"},
			Permissions: []relink.Permission{relink.PermissionPaymentMethod},
		}
		if _, _, err := svc.RequestAt(ctx, accts[i], ask, relinkT0); err != nil {
			tb.Fatal(err)
		}
	}
	return func(i int) bool {
		_, _, err := svc.RequestAt(ctx, accts[i%n], ask, relinkT1)
		return errors.Is(err, relink.ErrRateLimited)
	}
}

var (
	relinkT0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	relinkT1 = relinkT0.Add(time.Hour)
)
