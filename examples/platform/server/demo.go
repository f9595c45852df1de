package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/requirements"
)

// The demo's records, made by SeedDemo.
const (
	// DemoAccount is a Custom-style connected account with requirements
	// outstanding and everything a remediation link needs (L8).
	DemoAccount account.ID = "acct_demo"
	// DemoFCAccount is an inactive Financial Connections account whose
	// bank asks for a relink.
	DemoFCAccount relink.AccountID = "fca_demo"
)

// SeedDemo stores the demo's platform settings and account in accounts
// and its Financial Connections account in fc (relink's account store,
// as if an API read had fetched it: a zero mark, which every event is
// newer than). Records already there are kept, so that a server over a
// database seeds it once.
func SeedDemo(ctx context.Context, accounts account.Store, fc relink.AccountStore) error {
	if _, err := accounts.CreatePlatform(ctx, account.Platform{Country: "US", ProfileComplete: true}); err != nil && !errors.Is(err, account.ErrExists) {
		return err
	}
	reqs, err := requirements.NewSet(
		requirements.Entry{Field: "individual.dob.day", Status: requirements.CurrentlyDue},
		requirements.Entry{Field: "external_account", Status: requirements.CurrentlyDue},
	)
	if err != nil {
		return err
	}
	a := account.NewCustom(DemoAccount, "US")
	a.Representative = account.NewRepresentative("Jenny Rosen", account.Date{Year: 1990, Month: time.January, Day: 2}, "0000")
	a.HasExternalAccount, a.OwnerConfirmed = true, true
	a.Requirements = reqs
	if _, err := accounts.Create(ctx, a); err != nil && !errors.Is(err, account.ErrExists) {
		return err
	}
	_, err = fc.PutFCAccount(ctx, relink.StoredAccount{Account: relink.Account{
		ID:       DemoFCAccount,
		Livemode: true,
		Status:   relink.AccountInactive,
		Inactive: relink.InactiveDetails{Action: relink.ActionRelinkRequired, Cause: relink.CauseAccessExpired},
		Holder:   relink.Holder{Type: relink.HolderCustomer, Customer: "cus_demo", Email: "jenny@example.com"},
	}}, 0)
	if err != nil && !errors.Is(err, relink.ErrExists) {
		return err
	}
	return nil
}

// Serve seeds the demo, prints how to drive the server to out, and serves
// cfg on ln until ctx is done. An empty cfg.BaseURL is http:// and ln's
// address. A nil cfg.VerifyWebhook is AcceptUnverified, since the demo
// has no signing secret: the usage says so.
func Serve(ctx context.Context, ln net.Listener, cfg Config, out io.Writer) error {
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + ln.Addr().String()
	}
	if cfg.VerifyWebhook == nil {
		cfg.VerifyWebhook = AcceptUnverified
	}
	if len(cfg.ExportAccounts) == 0 {
		cfg.ExportAccounts = []account.ID{DemoAccount}
	}
	if err := SeedDemo(ctx, cfg.Accounts, cfg.Relink); err != nil {
		return fmt.Errorf("seeding the demo: %w", err)
	}
	s, err := New(cfg)
	if err != nil {
		return err
	}
	c := cfg.Clock
	if c == nil {
		c = clock.System{}
	}
	fmt.Fprintf(out, usage, cfg.BaseURL, DemoAccount, DemoFCAccount, c.Now().Unix())
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 64 << 10}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

const usage = `connectkit example platform on %[1]s (Ctrl-C stops it)

Onboarding, in a browser after the first command:
  curl -s -X POST -H 'X-User-ID: usr_ada' %[1]s/accounts/%[2]s/account-links
  → open the "url" it prints: a page with a button (opening it consumes nothing),
    then the collection page, then "Submit details" or "Save for later".

Remediation link (roles from X-User-Roles, Stripe role names):
  curl -s -X POST -H 'X-User-ID: usr_sam' -H 'X-User-Roles: support_specialist' %[1]s/accounts/%[2]s/remediation-links
  curl -s -X POST -d reason=wrong_information %[1]s/remediation-links/<link_id>/failures
  curl -s -X POST -H 'X-User-ID: usr_ada' -H 'X-User-Roles: admin' %[1]s/remediation-links/<link_id>/reset
  curl -s -H 'X-User-ID: usr_ada' -H 'X-User-Roles: admin' %[1]s/remediation-links.csv

Relink (the second request within 48 hours answers 429 with Retry-After):
  curl -s -X POST -H 'X-User-ID: usr_ada' -H 'X-User-Roles: admin' -d method=hosted_dashboard %[1]s/relink/accounts/%[3]s/requests

Stripe webhook (the report of what changed; deliveries are NOT verified in this demo):
  curl -s -X POST --data-binary '{"id":"evt_1","object":"event","type":"account.updated","created":%[4]d,"account":"%[2]s","data":{"object":{"object":"account","id":"%[2]s","requirements":{}}}}' %[1]s/webhooks/stripe
`
