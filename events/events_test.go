package events_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/events"
	"github.com/connectkit/connectkit/internal/golden"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/roles"
	"github.com/google/go-cmp/cmp"
)

// tb is what the helpers need of a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

const fixtureAccount = account.ID("acct_1PgafTB7WZ01zgkW")

var t0 = time.Date(2025, time.January, 2, 0, 0, 0, 0, time.UTC) // 1735776000

func load(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parse(t testing.TB, b []byte) events.Event {
	t.Helper()
	ev, err := events.Parse(b)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return ev
}

// edit rewrites a testdata envelope: f changes the decoded JSON.
func edit(t testing.TB, name string, f func(env map[string]any)) []byte {
	t.Helper()
	var env map[string]any
	if err := json.Unmarshal(load(t, name), &env); err != nil {
		t.Fatal(err)
	}
	f(env)
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func object(env map[string]any) map[string]any {
	return env["data"].(map[string]any)["object"].(map[string]any)
}

// setup returns a handler over a fresh store holding the fixture's account
// (a Standard account with nothing due) and the store.
func setup(t tb) (*events.Handler, *account.MemoryStore) {
	return setupWith(t, "")
}

// setupWith is setup with the representative on file having come from the
// person repID (from an earlier person event), or entered by hand ("").
func setupWith(t tb, repID string) (*events.Handler, *account.MemoryStore) {
	t.Helper()
	s := account.NewMemoryStore()
	a := account.NewStandard(fixtureAccount, "US")
	a.Representative = account.NewRepresentative("Old Rep", account.Date{Year: 1970, Month: 1, Day: 1}, "1234")
	a.Marks.RepresentativeID = repID
	if _, err := s.Create(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	clk := clocktest.New(t0.Add(time.Hour))
	return &events.Handler{Accounts: &account.Service{Store: s, Clock: clk}, Clock: clk}, s
}

func apply(t testing.TB, h *events.Handler, b []byte, now time.Time) events.Report {
	t.Helper()
	r, err := h.ApplyAt(context.Background(), parse(t, b), now)
	if err != nil {
		t.Fatalf("ApplyAt: %v", err)
	}
	return r
}

func stored(t tb, s account.Store) account.Account {
	t.Helper()
	a, err := s.Get(context.Background(), fixtureAccount)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestParse_Q1_RealEnvelopes(t *testing.T) {
	for _, tc := range []struct {
		file string
		want events.Event
	}{
		{"v1_envelope_verbatim.json", events.Event{ID: "evt_test_123", Type: "customer.created", Created: time.Unix(1709836076, 0).UTC(),
			APIVersion: "2023-10-16", Object: events.Object{}}},
		{"account_updated.json", events.Event{ID: "evt_1Acct", Type: events.AccountUpdated, Created: t0, APIVersion: "2023-10-16",
			Account: string(fixtureAccount), Object: events.Object{Type: "account", ID: string(fixtureAccount)}}},
		{"capability_updated.json", events.Event{ID: "evt_1Cap", Type: events.CapabilityUpdated, Created: t0.Add(time.Minute), APIVersion: "2023-10-16",
			Account: string(fixtureAccount), Object: events.Object{Type: "capability", ID: "card_payments"}}},
		{"deauthorized.json", events.Event{ID: "evt_1Deauth", Type: events.AccountDeauthorized, Created: t0.Add(2 * time.Minute), APIVersion: "2023-10-16",
			Account: string(fixtureAccount), Object: events.Object{Type: "application", ID: "ca_1PgafTB7WZ01zgkW"}}},
		{"person_updated.json", events.Event{ID: "evt_1Person", Type: events.PersonUpdated, Created: t0.Add(3 * time.Minute), APIVersion: "2023-10-16",
			Account: string(fixtureAccount), Object: events.Object{Type: "person", ID: "person_1PgafTB7WZ01zgkW"}}},
		{"v2_thin_ping_verbatim.json", events.Event{ID: "evt_234", Type: "v2.core.event_destination.ping", Thin: true, Livemode: true,
			Created: time.Date(2024, 3, 7, 18, 27, 56, 0, time.UTC)}},
		{"v2_thin_account_requirements.json", events.Event{ID: "evt_test_65RO1q2ZJ7zXmKvBQ3c16RO1q2ZJ7zXmKvBQ3c1", Thin: true,
			Type: "v2.core.account[requirements].updated", Created: t0.Add(time.Minute), Account: "acct_EXAMPLE_v2_0001",
			Object: events.Object{Type: "v2.core.account", ID: "acct_EXAMPLE_v2_0001"}, RelatedURL: "/v2/core/accounts/acct_EXAMPLE_v2_0001"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			ev := parse(t, load(t, tc.file))
			if !tc.want.Thin && len(ev.Data) == 0 {
				t.Error("v1 event without Data")
			}
			ev.Data, ev.PreviousAttributes = nil, nil
			if d := cmp.Diff(tc.want, ev); d != "" {
				t.Errorf("Parse (-want +got):\n%s", d)
			}
		})
	}
}

func TestParse_Q1_MalformedIsInvalidInput(t *testing.T) {
	deep := strings.Repeat(`{"a":`, events.MaxDepth+1) + "1" + strings.Repeat("}", events.MaxDepth+1)
	big := append([]byte(`{"id":"`), bytes.Repeat([]byte("a"), events.MaxEventBytes)...)
	for name, in := range map[string][]byte{
		"empty":                 nil,
		"not JSON":              []byte("{"),
		"array":                 []byte(`[]`),
		"no object":             []byte(`{"id":"evt_1","type":"account.updated","created":1}`),
		"customer":              []byte(`{"id":"cus_1","object":"customer"}`),
		"no id":                 []byte(`{"object":"event","type":"x","created":1,"data":{"object":{}}}`),
		"no type":               []byte(`{"id":"evt_1","object":"event","created":1,"data":{"object":{}}}`),
		"v1 created string":     []byte(`{"id":"evt_1","object":"event","type":"x","created":"2024-01-01T00:00:00Z","data":{"object":{}}}`),
		"created zero":          []byte(`{"id":"evt_1","object":"event","type":"x","created":0,"data":{"object":{}}}`),
		"no data":               []byte(`{"id":"evt_1","object":"event","type":"x","created":1}`),
		"data.object string":    []byte(`{"id":"evt_1","object":"event","type":"x","created":1,"data":{"object":"acct_1"}}`),
		"id with space":         []byte(`{"id":"evt 1","object":"event","type":"x","created":1,"data":{"object":{}}}`),
		"NUL byte":              []byte("{\"id\":\"evt_1\x00\",\"object\":\"event\"}"),
		"escaped NUL":           []byte(`{"id":"evt_1","object":"event","type":"x","created":1,"data":{"object":{"name":"a\u0000b"}}}`),
		"invalid UTF-8":         []byte("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"x\xff\",\"created\":1,\"data\":{\"object\":{}}}"),
		"too deep":              []byte(deep),
		"too big":               big,
		"v2 thin no created":    load(t, "v2_thin_verbatim.json"),
		"v2 created number":     []byte(`{"id":"evt_1","object":"v2.core.event","type":"x","created":1}`),
		"v2 related no id":      []byte(`{"id":"evt_1","object":"v2.core.event","type":"x","created":"2024-03-07T18:27:56.000Z","related_object":{"type":"v2.core.account"}}`),
		"account not printable": []byte(`{"id":"evt_1","object":"event","type":"x","created":1,"account":"acct 1","data":{"object":{}}}`),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := events.Parse(in)
			if !errors.Is(err, events.ErrInvalid) || errkind.Of(err) != errkind.InvalidInput {
				t.Fatalf("Parse = %v, want ErrInvalid of kind InvalidInput", err)
			}
			var pe *events.ParseError
			if !errors.As(err, &pe) {
				t.Errorf("%v is not a *ParseError", err)
			}
		})
	}
	t.Run("escaped backslash before u0000 is not NUL", func(t *testing.T) {
		if _, err := events.Parse([]byte(`{"id":"evt_1","object":"event","type":"x","created":1,"data":{"object":{"n":"\\u0000"}}}`)); err != nil {
			t.Errorf("Parse: %v", err)
		}
	})
}

func TestErrors_KindOfEverySentinel(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want errkind.Kind
	}{
		{events.ErrInvalid, errkind.InvalidInput},
		{events.ErrFetchRequired, errkind.InvalidInput},
		{events.ErrNoStore, errkind.InvalidInput},
		{&events.ParseError{Member: "x", Err: errors.New("y")}, errkind.InvalidInput},
	} {
		if got := errkind.Of(tc.err); got != tc.want {
			t.Errorf("Of(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestApply_Q1_AccountUpdatedAppliesTheSnapshot(t *testing.T) {
	h, s := setup(t)
	r := apply(t, h, load(t, "account_updated.json"), t0.Add(time.Hour))
	if r.Outcome != events.OutcomeApplied || r.Account != fixtureAccount {
		t.Fatalf("report = %+v, want applied to %s", r, fixtureAccount)
	}
	due := []string{"business_profile.product_description", "business_profile.support_phone", "business_profile.url",
		"external_account", "tos_acceptance.date", "tos_acceptance.ip"}
	if d := cmp.Diff(due, r.Changes.NewlyCurrentlyDue()); d != "" {
		t.Errorf("NewlyCurrentlyDue (-want +got):\n%s", d)
	}
	if d := cmp.Diff(&events.ReasonChange{After: "requirements.past_due"}, r.Changes.DisabledReason); d != "" {
		t.Errorf("DisabledReason (-want +got):\n%s", d)
	}
	if r.Changes.Account == nil || !r.Changes.Account.After.Disabled {
		t.Errorf("account standing = %+v, want disabled after (Stripe's disabled_reason)", r.Changes.Account)
	}
	a := stored(t, s)
	if a.Email.Address() != "site@stripe.com" || a.Country != "US" || a.HasExternalAccount ||
		!slices.Equal(a.Capabilities, []requirements.Capability{"card_payments", "transfers"}) {
		t.Errorf("stored details = %q %q %v %v", a.Email.Address(), a.Country, a.HasExternalAccount, a.Capabilities)
	}
	want, err := requirements.DecodeV1(object0(t, "account_updated.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []requirements.Source{{}, {Future: true}} {
		wh, _ := want.Hash(src)
		gh, _ := a.Requirements.Hash(src)
		if wh != gh {
			t.Errorf("hash %v = %+v, want %+v", src, gh, wh)
		}
	}
	if a.Marks.Account != parse(t, load(t, "account_updated.json")).Mark() {
		t.Errorf("Marks.Account = %v", a.Marks.Account)
	}
	if a.Version != 2 {
		t.Errorf("version %d, want 2: one write", a.Version)
	}
}

// object0 returns data.object of a testdata envelope.
func object0(t testing.TB, name string) []byte {
	return parse(t, load(t, name)).Data
}

func TestApply_Q1_CapabilityUpdatedTouchesOnlyItsHashes(t *testing.T) {
	h, s := setup(t)
	apply(t, h, load(t, "account_updated.json"), t0.Add(time.Hour))
	before := stored(t, s)
	r := apply(t, h, load(t, "capability_updated.json"), t0.Add(time.Hour))
	if r.Outcome != events.OutcomeApplied {
		t.Fatalf("outcome %v", r.Outcome)
	}
	after := stored(t, s)
	for _, src := range []requirements.Source{{}, {Future: true}} {
		b, _ := before.Requirements.Hash(src)
		a, _ := after.Requirements.Hash(src)
		if a != b {
			t.Errorf("capability.updated changed the account's hash %v: %+v → %+v", src, b, a)
		}
	}
	h0, ok := after.Requirements.Hash(requirements.Source{Capability: "card_payments"})
	if !ok || h0.Status != requirements.CapabilityInactive {
		t.Errorf("card_payments hash = %+v, %v; want status inactive", h0, ok)
	}
	var got []string
	for _, c := range r.Changes.Capabilities {
		if c.NewlyDisabled() {
			got = append(got, string(c.Capability))
		}
	}
	if !slices.Equal(got, []string{"card_payments"}) {
		t.Errorf("newly disabled = %v, want [card_payments]; changes %+v", got, r.Changes.Capabilities)
	}
	if after.Marks.Capability("card_payments").EventID != "evt_1Cap" || after.Marks.Account.EventID != "evt_1Acct" {
		t.Errorf("marks = %+v", after.Marks)
	}
}

func TestApply_A6_DeauthorizedRemovesAndEveryOperationIsRefused(t *testing.T) {
	h, s := setup(t)
	r := apply(t, h, load(t, "deauthorized.json"), t0.Add(time.Hour))
	if r.Outcome != events.OutcomeApplied || !r.Changes.Removed {
		t.Fatalf("report = %+v, want applied and removed", r)
	}
	if !stored(t, s).Removed {
		t.Fatal("account not removed")
	}
	admin := roles.User{ID: "user_admin", Roles: roles.NewSet(roles.Admin)}
	_, _, err := h.Accounts.EditAccountInformation(context.Background(), admin, fixtureAccount, account.Info{})
	if !errors.Is(err, account.ErrRemoved) {
		t.Errorf("EditAccountInformation after deauthorization = %v, want ErrRemoved", err)
	}
	if r := apply(t, h, load(t, "deauthorized.json"), t0.Add(time.Hour)); r.Outcome != events.OutcomeDuplicate || r.Changes.Removed {
		t.Errorf("again: %+v, want duplicate", r)
	}
	// A snapshot created before the deauthorization but delivered after
	// it is still Stripe's word: recorded, the account stays removed.
	r = apply(t, h, load(t, "account_updated.json"), t0.Add(time.Hour))
	if r.Outcome != events.OutcomeApplied || !stored(t, s).Removed {
		t.Errorf("late account.updated: %v, removed %v", r.Outcome, stored(t, s).Removed)
	}
}

func TestApply_L8_PersonEventsKeepTheRepresentativesFacts(t *testing.T) {
	h, s := setup(t)
	r := apply(t, h, load(t, "person_updated.json"), t0.Add(time.Hour))
	if r.Outcome != events.OutcomeApplied {
		t.Fatalf("outcome %v", r.Outcome)
	}
	a := stored(t, s)
	if a.Representative.FullName() != "Jenny Rosen" || a.Representative.DOB() != (account.Date{Year: 1985, Month: 3, Day: 12}) {
		t.Errorf("representative = %v", a.Representative)
	}
	if a.Representative.SSNLast4() != "" {
		t.Error("the previous representative's SSN digits were kept for another person")
	}
	if a.Marks.RepresentativeID != "person_1PgafTB7WZ01zgkW" {
		t.Errorf("RepresentativeID = %q", a.Marks.RepresentativeID)
	}
	// The report holds facts, never values.
	js, _ := json.Marshal(r)
	if bytes.Contains(js, []byte("Jenny")) || bytes.Contains(js, []byte("1985")) {
		t.Errorf("report leaks personal data: %s", js)
	}
	// Another person (not the representative) changes nothing.
	other := edit(t, "person_updated.json", func(env map[string]any) {
		env["id"] = "evt_2Person"
		o := object(env)
		o["id"], o["first_name"] = "person_other", "Other"
		o["relationship"].(map[string]any)["representative"] = false
	})
	if r := apply(t, h, other, t0.Add(time.Hour)); r.Outcome != events.OutcomeApplied || !r.Changes.Empty() {
		t.Errorf("other person: %+v", r)
	}
	// The representative deleted: L8's facts are gone.
	del := edit(t, "person_updated.json", func(env map[string]any) {
		env["id"], env["type"], env["created"] = "evt_3Person", "person.deleted", float64(t0.Add(10*time.Minute).Unix())
	})
	r = apply(t, h, del, t0.Add(time.Hour))
	want := &events.L8Change{Before: events.L8Facts{RepresentativeName: true, RepresentativeDOB: true}}
	if d := cmp.Diff(want, r.Changes.L8); d != "" {
		t.Errorf("deleted (-want +got):\n%s", d)
	}
	// A late person.updated for the deleted person is stale.
	if r := apply(t, h, load(t, "person_updated.json"), t0.Add(time.Hour)); r.Outcome != events.OutcomeStale {
		t.Errorf("replayed update: %v, want stale", r.Outcome)
	}
	late := edit(t, "person_updated.json", func(env map[string]any) { env["id"] = "evt_4Person" })
	if r := apply(t, h, late, t0.Add(time.Hour)); r.Outcome != events.OutcomeStale {
		t.Errorf("late update: %v, want stale", r.Outcome)
	}
}

func TestApply_E1_StaleAfterNewerIsSkipped(t *testing.T) {
	h, s := setup(t)
	newer := edit(t, "account_updated.json", func(env map[string]any) {
		env["id"], env["created"] = "evt_2Acct", float64(t0.Add(time.Minute).Unix())
		req := object(env)["requirements"].(map[string]any)
		req["currently_due"], req["eventually_due"], req["disabled_reason"] = []any{}, []any{}, nil
	})
	apply(t, h, newer, t0.Add(time.Hour))
	want := stored(t, s)
	r := apply(t, h, load(t, "account_updated.json"), t0.Add(time.Hour))
	if r.Outcome != events.OutcomeStale || !r.Changes.Empty() {
		t.Errorf("older after newer: %+v, want stale with no changes", r)
	}
	if d := cmp.Diff(want, stored(t, s)); d != "" {
		t.Errorf("a stale event changed the account (-want +got):\n%s", d)
	}
	// Same second: the greater event ID wins, whatever the order.
	sameSecond := edit(t, "account_updated.json", func(env map[string]any) {
		env["id"], env["created"] = "evt_1Acct", float64(t0.Add(time.Minute).Unix())
	})
	if r := apply(t, h, sameSecond, t0.Add(time.Hour)); r.Outcome != events.OutcomeStale {
		t.Errorf("same second, smaller ID: %v, want stale", r.Outcome)
	}
}

func TestApply_E1_DuplicateIsANoOp(t *testing.T) {
	h, s := setup(t)
	apply(t, h, load(t, "account_updated.json"), t0.Add(time.Hour))
	v := stored(t, s).Version
	r := apply(t, h, load(t, "account_updated.json"), t0.Add(time.Hour))
	if r.Outcome != events.OutcomeDuplicate || !r.Changes.Empty() || stored(t, s).Version != v {
		t.Errorf("duplicate: %+v, version %d → %d", r, v, stored(t, s).Version)
	}
}

func TestApply_UnknownTypesAreAcknowledged(t *testing.T) {
	h, s := setup(t)
	for _, file := range []string{"v1_envelope_verbatim.json", "v2_thin_ping_verbatim.json"} {
		r, err := h.ApplyAt(context.Background(), parse(t, load(t, file)), t0)
		if err != nil || r.Outcome != events.OutcomeUnhandled || r.Note == "" {
			t.Errorf("%s: %+v, %v; want unhandled with a note and no error", file, r, err)
		}
	}
	// So are Financial Connections events in a build without relink.
	fc := []byte(`{"id":"evt_fc","object":"event","type":"financial_connections.account.deactivated","created":1735776000,"data":{"object":{"id":"fca_1","object":"financial_connections.account"}}}`)
	if r, err := (&events.Handler{Accounts: &account.Service{Store: s}}).ApplyAt(context.Background(), parse(t, fc), t0); err != nil || r.Outcome != events.OutcomeUnhandled {
		t.Errorf("FC event without a relink service: %+v, %v", r, err)
	}
	if stored(t, s).Version != 1 {
		t.Error("an unhandled event wrote")
	}
}

func TestApply_Q2_DeadlinePassedInFlightIsPastDue(t *testing.T) {
	h, _ := setup(t)
	deadline := t0.Add(30 * time.Minute)
	b := edit(t, "account_updated.json", func(env map[string]any) {
		req := object(env)["requirements"].(map[string]any)
		req["current_deadline"], req["disabled_reason"] = float64(deadline.Unix()), nil
	})
	// Delivered before the deadline: currently due.
	h1, _ := setup(t)
	if r := apply(t, h1, b, deadline.Add(-time.Second)); len(r.Changes.NewlyPastDue()) != 0 || len(r.Changes.NewlyCurrentlyDue()) != 6 {
		t.Errorf("before the deadline: past due %v, currently due %v", r.Changes.NewlyPastDue(), r.Changes.NewlyCurrentlyDue())
	}
	// Delivered after it: the same snapshot is past due now.
	r := apply(t, h, b, deadline)
	if got := r.Changes.NewlyPastDue(); len(got) != 6 || len(r.Changes.NewlyCurrentlyDue()) != 0 {
		t.Errorf("at the deadline: past due %v, currently due %v", got, r.Changes.NewlyCurrentlyDue())
	}
	if r.Changes.Account == nil || !r.Changes.Account.After.Disabled || r.Changes.DisabledReason != nil {
		t.Errorf("account standing %+v, Stripe's reason %+v: want disabled by prediction, Stripe's reason unchanged", r.Changes.Account, r.Changes.DisabledReason)
	}
}

func TestApply_Q4_DeadlineMovedIsReported(t *testing.T) {
	h, _ := setup(t)
	at := func(id string, created, deadline time.Time) []byte {
		return edit(t, "account_updated.json", func(env map[string]any) {
			env["id"], env["created"] = id, float64(created.Unix())
			object(env)["requirements"].(map[string]any)["current_deadline"] = float64(deadline.Unix())
		})
	}
	d1, d2 := t0.Add(48*time.Hour), t0.Add(24*time.Hour)
	apply(t, h, at("evt_a", t0, d1), t0)
	r := apply(t, h, at("evt_b", t0.Add(time.Second), d2), t0)
	want := []events.DeadlineChange{{Hash: "requirements", Before: d1, After: d2}}
	if d := cmp.Diff(want, r.Changes.Deadlines); d != "" {
		t.Errorf("Deadlines (-want +got):\n%s", d)
	}
}

func TestApply_A1_AccountNotStoredIsNotFound(t *testing.T) {
	h := &events.Handler{Accounts: &account.Service{Store: account.NewMemoryStore()}}
	_, err := h.ApplyAt(context.Background(), parse(t, load(t, "account_updated.json")), t0)
	if !errors.Is(err, account.ErrNotFound) || errkind.Of(err) != errkind.NotFound {
		t.Errorf("err = %v, want account.ErrNotFound", err)
	}
	_, err = (&events.Handler{}).ApplyAt(context.Background(), parse(t, load(t, "account_updated.json")), t0)
	if !errors.Is(err, events.ErrNoStore) {
		t.Errorf("zero Handler: %v, want ErrNoStore", err)
	}
}

func TestApply_Q1_ObjectOfTheWrongKindIsMalformed(t *testing.T) {
	h, s := setup(t)
	for name, b := range map[string][]byte{
		"account.updated with a capability":  edit(t, "capability_updated.json", func(env map[string]any) { env["type"] = "account.updated" }),
		"capability.updated with an account": edit(t, "account_updated.json", func(env map[string]any) { env["type"] = "capability.updated" }),
		"person.updated with an account":     edit(t, "account_updated.json", func(env map[string]any) { env["type"] = "person.updated" }),
		"envelope account differs":           edit(t, "account_updated.json", func(env map[string]any) { env["account"] = "acct_other" }),
		"deauthorized without account":       edit(t, "deauthorized.json", func(env map[string]any) { delete(env, "account") }),
		"bad dob": edit(t, "person_updated.json", func(env map[string]any) {
			object(env)["dob"].(map[string]any)["month"] = float64(13)
		}),
		"bad country":      edit(t, "account_updated.json", func(env map[string]any) { object(env)["country"] = "usa" }),
		"bad requirements": edit(t, "account_updated.json", func(env map[string]any) { object(env)["requirements"] = "x" }),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := h.ApplyAt(context.Background(), parse(t, b), t0)
			if !errors.Is(err, events.ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
	if stored(t, s).Version != 1 {
		t.Error("a malformed event wrote")
	}
}

func TestApplyFetched_Q1_V2ThinEventWithItsObject(t *testing.T) {
	s := account.NewMemoryStore()
	if _, err := s.Create(context.Background(), account.NewCustom("acct_EXAMPLE_v2_0001", "US")); err != nil {
		t.Fatal(err)
	}
	h := &events.Handler{Accounts: &account.Service{Store: s}}
	ev := parse(t, load(t, "v2_thin_account_requirements.json"))
	if _, err := h.ApplyAt(context.Background(), ev, t0); !errors.Is(err, events.ErrFetchRequired) {
		t.Errorf("ApplyAt on a thin event = %v, want ErrFetchRequired", err)
	}
	var fx struct{ Fixture json.RawMessage }
	if err := json.Unmarshal(load(t, "v2_account_example.json"), &fx); err != nil {
		t.Fatal(err)
	}
	r, err := h.ApplyFetchedAt(context.Background(), ev, fx.Fixture, t0)
	if err != nil || r.Outcome != events.OutcomeApplied || len(r.Changes.Fields) == 0 {
		t.Fatalf("ApplyFetchedAt = %+v, %v; want applied with field changes", r, err)
	}
	want, _ := requirements.DecodeV2(fx.Fixture)
	a, _ := s.Get(context.Background(), "acct_EXAMPLE_v2_0001")
	for _, src := range want.Sources() {
		if w, _ := want.Hash(src); true {
			if g, _ := a.Requirements.Hash(src); g != w {
				t.Errorf("hash %v = %+v, want %+v", src, g, w)
			}
		}
	}
	if r, _ := h.ApplyFetchedAt(context.Background(), ev, fx.Fixture, t0); r.Outcome != events.OutcomeDuplicate {
		t.Errorf("again: %v, want duplicate", r.Outcome)
	}
	other := bytes.Replace(fx.Fixture, []byte("acct_EXAMPLE_v2_0001"), []byte("acct_EXAMPLE_v2_0002"), 1)
	if _, err := h.ApplyFetchedAt(context.Background(), ev, other, t0); !errors.Is(err, events.ErrInvalid) {
		t.Errorf("another account's object: %v, want ErrInvalid", err)
	}
}

func TestReport_Q2_JSON(t *testing.T) {
	h, _ := setup(t)
	r := apply(t, h, load(t, "capability_updated.json"), t0.Add(time.Hour))
	got := golden.JSON(t, filepath.Join("testdata", "report.golden"), r, *update)
	var back events.Report
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(r, back); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
}
