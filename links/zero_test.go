package links_test

import (
	"errors"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/links"
)

// TestAccountLink_L1_ZeroInstantRefused: a redemption at the zero time
// would store a zero UsedAt, which reads as unused, so the link could be
// redeemed again (L1: one use). The Service refuses the zero instant as
// invalid input before any store sees it, and the link stays redeemable
// once.
func TestAccountLink_L1_ZeroInstantRefused(t *testing.T) {
	s, clk := newService(t)
	issued := mustCreate(t, s)
	if _, err := s.RedeemAt(ctx, issued.Token, time.Time{}); !errors.Is(err, links.ErrInvalid) {
		t.Fatalf("redeem at the zero time = %v, want ErrInvalid", err)
	}
	first, err := s.RedeemAt(ctx, issued.Token, clk.Now())
	if err != nil || first.Outcome != links.Proceed {
		t.Fatalf("first redemption = %v, %v; want proceed", first.Outcome, err)
	}
	if again, err := s.RedeemAt(ctx, issued.Token, clk.Now()); err != nil || again.Outcome != links.Redirect {
		t.Fatalf("second redemption = %v, %v; want redirect", again.Outcome, err)
	}
}

// TestExport_L11_NilArgumentsRefused: an export with no accounts or no
// emit function is invalid input, not a panic.
func TestExport_L11_NilArgumentsRefused(t *testing.T) {
	s, _ := newService(t)
	u := admin
	if _, err := s.ExportRemediationLinks(ctx, u, nil, func(links.ExportRow) error { return nil }); !errors.Is(err, links.ErrInvalid) {
		t.Fatalf("nil accounts: %v", err)
	}
	if _, err := s.ExportRemediationLinks(ctx, u, func(func(account.Account) bool) {}, nil); !errors.Is(err, links.ErrInvalid) {
		t.Fatalf("nil emit: %v", err)
	}
}
