package requirements_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/connectkit/connectkit/requirements"
)

// One account from onboarding to a missed deadline to remediation, with
// Stripe's word and connectkit's prediction side by side.
func Example() {
	created := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	deadline := created.Add(14 * 24 * time.Hour)

	// An account.updated webhook tells us what the new account owes; a
	// capability.updated one what card_payments needs, with its own
	// deadline (Stripe's v1 objects, decoded losslessly).
	account, err := requirements.DecodeV1([]byte(`{"object":"account","id":"acct_1","requirements":{
	  "current_deadline":`+fmt.Sprint(deadline.Unix())+`,
	  "currently_due":["external_account","individual.dob.day"],
	  "eventually_due":["external_account","individual.dob.day","individual.id_number"],
	  "past_due":[],"pending_verification":["individual.id_number"],"errors":[],"alternatives":[],"disabled_reason":null}}`),
		requirements.Impact{"external_account": {requirements.Transfers}})
	if err != nil {
		fmt.Println(err)
		return
	}
	capability, err := requirements.DecodeV1([]byte(`{"object":"capability","id":"card_payments","status":"active","requirements":{
	  "current_deadline":`+fmt.Sprint(deadline.Add(7*24*time.Hour).Unix())+`,
	  "currently_due":["individual.dob.day"],"eventually_due":["individual.dob.day"],
	  "past_due":[],"pending_verification":[],"errors":[],"alternatives":[],"disabled_reason":null}}`), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := account
	if err := s.Merge(capability); err != nil { // each hash keeps its own deadline
		fmt.Println(err)
		return
	}
	e, _ := s.Lookup("individual.id_number")
	fmt.Println("individual.id_number is in", e.Lists) // due and under review at once
	fmt.Println("complete:", s.Complete())

	// The account provides its bank account during onboarding.
	_ = s.Submit("external_account")
	_ = s.VerificationSucceeded("external_account")

	// The deadline passes without a date of birth, and no webhook yet.
	for _, now := range []time.Time{deadline.Add(-time.Second), deadline} {
		st := s.DisabledAt(now)
		fmt.Printf("at %s: Stripe says %q; disabled %v (predicted %v) %v\n",
			now.Format(time.TimeOnly), st.StripeReason, st.Disabled(), st.Predicted(), st.Overdue)
	}
	late := deadline.Add(time.Hour)
	for _, a := range s.ActionsRequiredWith(late, requirements.ActionOptions{PlatformCollects: true}) {
		fmt.Printf("action: %-13s %-20s due %s affects %v via %v\n",
			a.Priority.Label(), a.Field, dueDate(a.DueDate), a.Capabilities, a.Paths)
	}

	// The platform submits the date of birth; Stripe's first review fails,
	// the second succeeds (Q7).
	_ = s.Submit("individual.dob.day")
	_ = s.VerificationFailed("individual.dob.day", requirements.Error{
		Code: requirements.CodeVerificationDocumentExpired, Reason: "The document has expired."})
	e, _ = s.Lookup("individual.dob.day")
	fmt.Println("after failed review:", e.Lists, "at now:", e.StatusAt(late), e.Errors[0].Code, "→", e.Errors[0].Code.Remedy())
	_ = s.Submit("individual.dob.day")
	_ = s.VerificationSucceeded("individual.dob.day")

	fmt.Println("disabled:", s.DisabledAt(late).Disabled(), "complete:", s.Complete(),
		"up front:", s.FieldsToCollect(requirements.Collection{Fields: requirements.CollectEventuallyDue}))
	// Output:
	// individual.id_number is in eventually_due,pending_verification
	// complete: false
	// at 08:59:59: Stripe says ""; disabled false (predicted false) []
	// at 09:00:00: Stripe says ""; disabled true (predicted true) [individual.dob.day]
	// action: Past due      individual.dob.day   due 2025-06-15 affects [card_payments] via submit_information,send_remediation_link
	// action: Due later     individual.id_number due -          affects [] via submit_information,send_remediation_link
	// after failed review: currently_due,eventually_due at now: past_due verification_document_expired → upload a new document
	// disabled: false complete: false up front: [individual.id_number]
}

func dueDate(t time.Time) string {
	if t.IsZero() {
		return "-         "
	}
	return t.Format(time.DateOnly)
}

// A Set stored as JSON and read back: nothing is lost, not even what
// Stripe's v1 shape cannot carry (an information request, the capabilities
// an entry affects).
func ExampleSet_MarshalJSON() {
	s, err := requirements.NewSet(
		requirements.Entry{Field: "external_account", Status: requirements.PastDue,
			Capabilities: []requirements.Capability{requirements.Transfers}},
		requirements.Entry{Field: "risk_review", Kind: requirements.InformationRequest, Status: requirements.CurrentlyDue},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	data, err := json.Marshal(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(data))
	var back requirements.Set
	if err := json.Unmarshal(data, &back); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("equal:", back.Equal(s))
	// Output:
	// {"version":2,"hashes":[{"entries":[{"field":"external_account","kind":"requirement","lists":["currently_due","eventually_due","past_due"],"capabilities":["transfers"]},{"field":"risk_review","kind":"information_request","lists":["currently_due","eventually_due"]}]}]}
	// equal: true
}

// A dashboard listing several accounts' actions into one buffer: each
// list is used before the next overwrites it.
func ExampleSet_AppendActionsRequired() {
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	var buf []requirements.Action
	for _, payload := range []string{
		`{"object":"account","id":"acct_1","requirements":{"currently_due":["external_account"],"eventually_due":["external_account","individual.id_number"]}}`,
		`{"object":"account","id":"acct_2","requirements":{"eventually_due":["company.tax_id"]}}`,
	} {
		s, err := requirements.DecodeV1([]byte(payload), nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		buf = s.AppendActionsRequired(buf[:0], now, requirements.ActionOptions{})
		for _, a := range buf {
			fmt.Printf("%s: %s %s\n", s.ID(), a.Priority.Label(), a.Field)
		}
	}
	// Output:
	// acct_1: Currently due external_account
	// acct_1: Due later individual.id_number
	// acct_2: Due later company.tax_id
}
