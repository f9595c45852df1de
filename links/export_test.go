package links_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/links"
)

// flakyStore fails remediation-link creation for chosen accounts.
type flakyStore struct {
	*links.MemoryStore
	fail map[account.ID]bool
}

var errDisk = errors.New("disk on fire")

func (f flakyStore) RemediationLinkByAccount(ctx context.Context, id account.ID) (links.RemediationLink, error) {
	if f.fail[id] {
		return links.RemediationLink{}, errDisk
	}
	return f.MemoryStore.RemediationLinkByAccount(ctx, id)
}

// accounts yields n accounts; every seventh lacks an external account and
// every eleventh a representative's date of birth.
func accounts(n int) iter.Seq[account.Account] {
	return func(yield func(account.Account) bool) {
		for i := range n {
			a := custom()
			a.ID = account.ID(fmt.Sprintf("acct_%07d", i))
			if i%7 == 3 {
				a.HasExternalAccount = false
			}
			if i%11 == 5 {
				a.Representative = a.Representative.WithDOB(account.Date{})
			}
			if !yield(a) {
				return
			}
		}
	}
}

func TestRemediationLink_L11_ExportCarriesOnPastBadAccounts(t *testing.T) {
	s, _ := newService(t)
	s.Store = flakyStore{links.NewMemoryStore(), map[account.ID]bool{"acct_0000004": true}}
	const n = 100
	var rows []links.ExportRow
	sum, err := s.ExportRemediationLinks(ctx, analyst, accounts(n), func(r links.ExportRow) error {
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n || sum.Rows != n || sum.New+sum.Refused+sum.Failed != n || sum.Failed != 1 {
		t.Fatalf("%d rows, summary %+v", len(rows), sum)
	}
	for i, r := range rows {
		want := links.Reasons(0)
		if i%7 == 3 {
			want = want.With(links.ReasonExternalAccountMissing)
		}
		if i%11 == 5 {
			want = want.With(links.ReasonRepresentativeDOBMissing)
		}
		switch {
		case r.Account != account.ID(fmt.Sprintf("acct_%07d", i)):
			t.Fatalf("row %d is for %s", i, r.Account)
		case i == 4:
			if !errors.Is(r.Err, errDisk) || r.OK() {
				t.Fatalf("row 4: %+v, want the storage fault", r)
			}
		case r.Decision.Reasons != want:
			t.Fatalf("row %d: reasons %v, want %v", i, r.Decision.Reasons, want)
		case r.OK() != (want == 0):
			t.Fatalf("row %d: OK %v", i, r.OK())
		}
	}
	// A second export returns the active links.
	sum, err = s.ExportRemediationLinks(ctx, analyst, accounts(n), func(links.ExportRow) error { return nil })
	if err != nil || sum.New != 0 || sum.Reused == 0 {
		t.Fatalf("second export: %+v, %v", sum, err)
	}
}

func TestRemediationLink_L11_ExportStopsOnlyForCancellationOrEmit(t *testing.T) {
	s, _ := newService(t)
	c, cancel := context.WithCancel(ctx)
	seen := 0
	_, err := s.ExportRemediationLinks(c, admin, accounts(50), func(links.ExportRow) error {
		seen++
		if seen == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || seen != 10 {
		t.Fatalf("cancelled export: %d rows, %v", seen, err)
	}
	stop := errors.New("writer closed")
	_, err = s.ExportRemediationLinks(ctx, admin, accounts(50), func(links.ExportRow) error { return stop })
	if !errors.Is(err, stop) {
		t.Fatalf("emit error: %v", err)
	}
	_, err = s.ExportRemediationLinks(ctx, viewer, accounts(50), func(links.ExportRow) error {
		t.Fatal("a denied export emitted a row")
		return nil
	})
	if !errors.Is(err, links.ErrDenied) {
		t.Fatalf("denied export: %v", err)
	}
}
