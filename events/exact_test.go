package events_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/events"
)

// envelope is a v1 person.deleted event around obj, with more members of
// the envelope in extra (each `"name":value,`).
func envelope(extra, obj string) []byte {
	return []byte(`{"id":"evt_1","object":"event","type":"person.deleted","created":1735776000,` + extra +
		`"data":{"object":` + obj + `}}`)
}

const person = `{"object":"person","id":"person_1","account":"acct_1"}`

// TestParse_Q1_MemberNamesExact: Parse reads the envelope's members by
// exact name (principle 8: Stripe's word, not a case-folded guess): a
// member whose name differs from a modelled one only in case ("ID",
// "Type", "Object", U+017F "ſ" for "s") is not read as it, neither when
// the modelled member is missing nor beside it.
func TestParse_Q1_MemberNamesExact(t *testing.T) {
	refused := []struct{ name, json string }{
		{"ID for id", `{"ID":"evt_1","object":"event","type":"person.deleted","created":1735776000,"data":{"object":` + person + `}}`},
		{"Type for type", `{"id":"evt_1","object":"event","Type":"person.deleted","created":1735776000,"data":{"object":` + person + `}}`},
		{"Object for object", `{"id":"evt_1","Object":"event","type":"person.deleted","created":1735776000,"data":{"object":` + person + `}}`},
		{"Created for created", `{"id":"evt_1","object":"event","type":"person.deleted","Created":1735776000,"data":{"object":` + person + `}}`},
		{"Data for data", `{"id":"evt_1","object":"event","type":"person.deleted","created":1735776000,"Data":{"object":` + person + `}}`},
		{"data.Object for data.object", `{"id":"evt_1","object":"event","type":"person.deleted","created":1735776000,"data":{"Object":` + person + `}}`},
		{"v2 Related_object", `{"id":"evt_1","object":"v2.core.event","type":"v2.core.account.closed","created":"2025-01-02T00:00:00.000Z","Related_object":{"id":"acct_1","type":"v2.core.account","url":"/v2/core/accounts/acct_1"}}`},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := events.Parse([]byte(tc.json))
			if tc.name == "v2 Related_object" {
				if err == nil && ev.Object != (events.Object{}) {
					t.Fatalf("Parse read Related_object as related_object: %+v", ev.Object)
				}
				return
			}
			if !errors.Is(err, events.ErrInvalid) {
				t.Fatalf("Parse = %+v, %v; want ErrInvalid (the member is missing)", ev, err)
			}
		})
	}
	for _, tc := range []struct {
		name string
		json []byte
		want func(events.Event) bool
	}{
		{"ID beside id", envelope(`"ID":"evt_2",`, person), func(ev events.Event) bool { return ev.ID == "evt_1" }},
		{"Type beside type", envelope(`"Type":"person.updated",`, person), func(ev events.Event) bool { return ev.Type == events.PersonDeleted }},
		{"Account alone", envelope(`"Account":"acct_2",`, person), func(ev events.Event) bool { return ev.Account == "" }},
		{"Livemode beside livemode", envelope(`"livemode":false,"Livemode":true,`, person), func(ev events.Event) bool { return !ev.Livemode }},
		{"Api_version", envelope(`"Api_version":"2099-01-01",`, person), func(ev events.Event) bool { return ev.APIVersion == "" }},
		{"data.object ID beside id", envelope(``, `{"object":"person","id":"person_1","ID":"person_2"}`), func(ev events.Event) bool { return ev.Object.ID == "person_1" }},
		{"data.object OBJECT beside object", envelope(``, `{"object":"person","OBJECT":"account","id":"person_1"}`), func(ev events.Event) bool { return ev.Object.Type == "person" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := events.Parse(tc.json)
			if err != nil {
				t.Fatalf("Parse(%s): %v", tc.json, err)
			}
			if !tc.want(ev) {
				t.Fatalf("Parse read a case variant as the modelled member: %+v", ev)
			}
		})
	}
}

// TestParse_Q1_AmbiguousTextRefused: a member sent twice (the last would
// silently win), an escaped lone surrogate (decoded as U+FFFD, so two IDs
// would collide) and invalid UTF-8 are refused with ErrInvalid, in the
// envelope and in data.object.
func TestParse_Q1_AmbiguousTextRefused(t *testing.T) {
	for _, tc := range []struct{ name, json string }{
		{"id twice", string(envelope(`"id":"evt_2",`, person))},
		{"data twice", `{"id":"evt_1","object":"event","type":"person.deleted","created":1735776000,"data":{"object":` + person + `},"data":{"object":` + person + `}}`},
		{"data.object id twice", string(envelope(``, `{"object":"person","id":"person_1","id":"person_2"}`))},
		{"nested member twice", string(envelope(``, `{"object":"person","id":"person_1","dob":{"day":1,"day":2}}`))},
		{"lone high surrogate", string(envelope(`"account":"acct_\ud800",`, person))},
		{"lone low surrogate in data.object", string(envelope(``, `{"object":"person","id":"person_1","first_name":"\udc00"}`))},
		{"invalid UTF-8", string(envelope(``, `{"object":"person","id":"person_1","first_name":"`+"\xff"+`"}`))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if ev, err := events.Parse([]byte(tc.json)); !errors.Is(err, events.ErrInvalid) {
				t.Fatalf("Parse = %+v, %v; want ErrInvalid", ev, err)
			}
		})
	}
}

// TestDecode_Q1_MemberNamesExact: DecodeAccount, DecodePerson and
// DecodePersonV2 read data.object's members by exact name at every level:
// case variants ("Email", "buſineſs_profile", "DOB", "firſt_name",
// "Representative") are not read, and a member twice is refused.
func TestDecode_Q1_MemberNamesExact(t *testing.T) {
	snap, err := events.DecodeAccount([]byte(`{"object":"account","id":"acct_1","requirements":{"currently_due":[]},"Email":"a@example.com","buſineſs_profile":{"name":"Evil"},"Capabilities":{"card_payments":"active"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if snap.Email != "" || snap.BusinessName != "" || snap.CapabilitiesListed {
		t.Errorf("DecodeAccount read case variants: %+v", snap)
	}
	snap, err = events.DecodeAccount([]byte(`{"object":"account","id":"acct_1","requirements":{"currently_due":[]},"business_profile":{"Name":"Evil"}}`))
	if err != nil || snap.BusinessName != "" {
		t.Errorf("DecodeAccount read business_profile.Name: %+v, %v", snap, err)
	}
	p, owner, err := events.DecodePerson([]byte(`{"object":"person","id":"person_1","Account":"acct_2","firſt_name":"Eve","DOB":{"day":1,"month":2,"year":1990},"relationship":{"Representative":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(account.PersonSnapshot{ID: "person_1"}, p); d != "" || owner != "" {
		t.Errorf("DecodePerson read case variants (owner %q):\n%s", owner, d)
	}
	p, _, err = events.DecodePerson([]byte(`{"object":"person","id":"person_1","dob":{"Day":1,"month":2,"year":1990}}`))
	if err != nil || p.DOB != (account.Date{}) {
		t.Errorf("DecodePerson read dob.Day: %+v, %v", p, err)
	}
	p, _, err = events.DecodePersonV2([]byte(`{"object":"v2.core.account_person","id":"person_1","Given_name":"Eve","Date_of_birth":{"day":1,"month":2,"year":1990},"Relationship":{"representative":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(account.PersonSnapshot{ID: "person_1"}, p); d != "" {
		t.Errorf("DecodePersonV2 read case variants:\n%s", d)
	}
	for _, in := range []string{
		`{"object":"account","id":"acct_1","email":"a@example.com","email":"b@example.com"}`,
		`{"object":"account","id":"acct_1","email":"\ud800"}`,
	} {
		if _, err := events.DecodeAccount([]byte(in)); !errors.Is(err, events.ErrInvalid) {
			t.Errorf("DecodeAccount(%s) = %v, want ErrInvalid", in, err)
		}
	}
	if _, _, err := events.DecodePerson([]byte(`{"object":"person","id":"person_1","dob":{"day":1,"day":2,"month":2,"year":1990}}`)); !errors.Is(err, events.ErrInvalid) {
		t.Errorf("DecodePerson with dob.day twice = %v, want ErrInvalid", err)
	}
}
