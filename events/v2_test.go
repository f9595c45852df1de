package events_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/events"
	"github.com/connectkit/connectkit/roles"
	"github.com/google/go-cmp/cmp"
)

const (
	v2Account = account.ID("acct_EXAMPLE_v2_0001")
	v2Person  = "person_EXAMPLE_v2_0001"
)

// thin returns a v2 thin event (members per shared/stripe/events.md section
// 4) of type typ about the related object (relType, relID) of the v2
// account, created sec seconds after t0.
func thin(t testing.TB, id, typ string, sec int, relType, relID string) events.Event {
	t.Helper()
	b, err := json.Marshal(map[string]any{"id": id, "object": "v2.core.event", "type": typ,
		"created": t0.Add(time.Duration(sec) * time.Second).Format("2006-01-02T15:04:05.000Z"), "livemode": false,
		"context": string(v2Account), "related_object": map[string]any{"id": relID, "type": relType, "url": "/v2/core/x/" + relID}})
	if err != nil {
		t.Fatal(err)
	}
	return parse(t, b)
}

// fixture returns the "fixture" member of a testdata file.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	var fx struct{ Fixture json.RawMessage }
	if err := json.Unmarshal(load(t, name), &fx); err != nil {
		t.Fatal(err)
	}
	return fx.Fixture
}

// setupV2 returns a handler over a store holding the v2 account, with a
// representative entered by hand.
func setupV2(t testing.TB) (*events.Handler, *account.MemoryStore) {
	t.Helper()
	s := account.NewMemoryStore()
	a := account.NewCustom(v2Account, "US")
	a.Representative = account.NewRepresentative("Old Rep", account.Date{Year: 1970, Month: 1, Day: 1}, "1234")
	if _, err := s.Create(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return &events.Handler{Accounts: &account.Service{Store: s}}, s
}

func getV2(t testing.TB, s account.Store) account.Account {
	t.Helper()
	a, err := s.Get(context.Background(), v2Account)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// v2.core.account_person.* applies the fetched v2 person as the v1 person
// events do: only what L8 checks of the representative (name, date of
// birth), nothing else of the person, never a value in the report; a
// deletion needs no fetched object; an older event is stale.
func TestApplyFetched_L8_V2PersonEventsKeepOnlyTheL8Facts(t *testing.T) {
	h, s := setupV2(t)
	ctx := context.Background()
	person := fixture(t, "v2_person.json")
	r, err := h.ApplyFetchedAt(ctx, thin(t, "evt_p2", "v2.core.account_person.updated", 60, "v2.core.account_person", v2Person), person, t0)
	if err != nil || r.Outcome != events.OutcomeApplied || r.Account != v2Account {
		t.Fatalf("person updated = %+v, %v; want applied", r, err)
	}
	a := getV2(t, s)
	if a.Representative.FullName() != "Jenny Rosen" || a.Representative.DOB() != (account.Date{Year: 1985, Month: 3, Day: 12}) ||
		a.Representative.SSNLast4() != "" || a.Marks.RepresentativeID != v2Person {
		t.Errorf("representative = %v (%q)", a.Representative, a.Marks.RepresentativeID)
	}
	if js, _ := json.Marshal(r); bytes.Contains(js, []byte("Jenny")) || bytes.Contains(js, []byte("1985")) || bytes.Contains(js, []byte("Townsend")) {
		t.Errorf("report leaks personal data: %s", js)
	}
	// An older event for the person, with whatever was fetched: stale.
	other := bytes.Replace(person, []byte(`"Jenny"`), []byte(`"Jo"`), 1)
	if r, err := h.ApplyFetchedAt(ctx, thin(t, "evt_p1", "v2.core.account_person.created", 30, "v2.core.account_person", v2Person), other, t0); err != nil || r.Outcome != events.OutcomeStale {
		t.Errorf("older person event = %+v, %v; want stale", r, err)
	}
	// A fetched object of another person is refused.
	if _, err := h.ApplyFetchedAt(ctx, thin(t, "evt_p3", "v2.core.account_person.updated", 90, "v2.core.account_person", "person_other"), person, t0); !errors.Is(err, events.ErrInvalid) {
		t.Errorf("another person's object: %v, want ErrInvalid", err)
	}
	// Deleted: no object to fetch; the L8 facts are gone.
	r, err = h.ApplyAt(ctx, thin(t, "evt_p4", "v2.core.account_person.deleted", 120, "v2.core.account_person", v2Person), t0)
	if err != nil || r.Outcome != events.OutcomeApplied {
		t.Fatalf("person deleted = %+v, %v; want applied", r, err)
	}
	want := &events.L8Change{Before: events.L8Facts{RepresentativeName: true, RepresentativeDOB: true}}
	if d := cmp.Diff(want, r.Changes.L8); d != "" {
		t.Errorf("deleted (-want +got):\n%s", d)
	}
}

// v2.core.account.closed removes the account for this platform (A6): no
// fetched object needed, every later operation refused, once.
func TestApply_A6_V2AccountClosedRemovesTheAccount(t *testing.T) {
	h, s := setupV2(t)
	ctx := context.Background()
	ev := thin(t, "evt_c1", "v2.core.account.closed", 60, "v2.core.account", string(v2Account))
	r, err := h.ApplyAt(ctx, ev, t0)
	if err != nil || r.Outcome != events.OutcomeApplied || !r.Changes.Removed || !getV2(t, s).Removed {
		t.Fatalf("closed = %+v, %v; want applied and removed", r, err)
	}
	_, _, err = h.Accounts.EditAccountInformation(ctx, roles.User{ID: "user_admin", Roles: roles.NewSet(roles.Admin)}, v2Account, account.Info{})
	if !errors.Is(err, account.ErrRemoved) {
		t.Errorf("EditAccountInformation after closed = %v, want ErrRemoved", err)
	}
	if r, err := h.ApplyFetchedAt(ctx, ev, fixture(t, "v2_account_example.json"), t0); err != nil || r.Outcome != events.OutcomeDuplicate {
		t.Errorf("again, with the fetched account = %+v, %v; want duplicate", r, err)
	}
}

// A v2 thin event is judged by its own Mark, whatever the fetched object
// says (E1): an older event delivered after a newer one is stale and its
// (freshly fetched) object is not written.
func TestApplyFetched_E1_V2StaleAfterNewerIsSkipped(t *testing.T) {
	h, s := setupV2(t)
	ctx := context.Background()
	obj := fixture(t, "v2_account_example.json")
	newer := thin(t, "evt_r2", "v2.core.account[requirements].updated", 120, "v2.core.account", string(v2Account))
	if r, err := h.ApplyFetchedAt(ctx, newer, obj, t0); err != nil || r.Outcome != events.OutcomeApplied {
		t.Fatalf("newer = %+v, %v", r, err)
	}
	want := getV2(t, s)
	older := thin(t, "evt_r1", "v2.core.account[requirements].updated", 60, "v2.core.account", string(v2Account))
	empty := []byte(fmt.Sprintf(`{"id":%q,"object":"v2.core.account","requirements":{"entries":[]}}`, v2Account))
	r, err := h.ApplyFetchedAt(ctx, older, empty, t0)
	if err != nil || r.Outcome != events.OutcomeStale || !r.Changes.Empty() {
		t.Errorf("older after newer = %+v, %v; want stale with no changes", r, err)
	}
	if d := cmp.Diff(want, getV2(t, s)); d != "" {
		t.Errorf("a stale v2 event changed the account (-want +got):\n%s", d)
	}
	// Same millisecond: the greater event ID wins.
	same := thin(t, "evt_r0", "v2.core.account[requirements].updated", 120, "v2.core.account", string(v2Account))
	if r, err := h.ApplyFetchedAt(ctx, same, empty, t0); err != nil || r.Outcome != events.OutcomeStale {
		t.Errorf("same instant, smaller ID = %+v, %v; want stale", r, err)
	}
}

// The same v2 thin event delivered again is a no-op (E1), even with a
// different fetched object.
func TestApplyFetched_E1_V2DuplicateIsANoOp(t *testing.T) {
	h, s := setupV2(t)
	ctx := context.Background()
	ev := thin(t, "evt_r1", "v2.core.account.updated", 60, "v2.core.account", string(v2Account))
	if r, err := h.ApplyFetchedAt(ctx, ev, fixture(t, "v2_account_example.json"), t0); err != nil || r.Outcome != events.OutcomeApplied {
		t.Fatalf("first = %+v, %v", r, err)
	}
	v := getV2(t, s).Version
	empty := []byte(fmt.Sprintf(`{"id":%q,"object":"v2.core.account","requirements":{"entries":[]}}`, v2Account))
	r, err := h.ApplyFetchedAt(ctx, ev, empty, t0)
	if err != nil || r.Outcome != events.OutcomeDuplicate || !r.Changes.Empty() || getV2(t, s).Version != v {
		t.Errorf("again = %+v, %v, version %d → %d; want duplicate, no write", r, err, v, getV2(t, s).Version)
	}
}
