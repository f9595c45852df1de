package requirements_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/connectkit/connectkit/requirements"
)

// One account from onboarding to a missed deadline to remediation.
func Example() {
	created := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	deadline := created.Add(14 * 24 * time.Hour)

	// A webhook tells us what the new account owes.
	payload := `{"object":"account","requirements":{
	  "current_deadline":` + fmt.Sprint(deadline.Unix()) + `,
	  "currently_due":["external_account","individual.dob.day"],
	  "eventually_due":["external_account","individual.dob.day","individual.id_number"],
	  "past_due":[],"pending_verification":[],"errors":[],"alternatives":[],"disabled_reason":null}}`
	impact := requirements.Impact{
		"external_account":   {requirements.Transfers},
		"individual.dob.day": {requirements.CardPayments, requirements.Transfers},
	}
	s, err := requirements.DecodeV1([]byte(payload), impact)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("complete:", s.Complete())
	fmt.Println("incremental link collects:", s.FieldsToCollect(requirements.Collection{}))

	// The account provides its bank account during onboarding.
	day2 := created.Add(24 * time.Hour)
	_ = s.Submit("external_account", day2)
	_ = s.VerificationSucceeded("external_account", day2)

	// The deadline passes without a date of birth (Q2).
	late := deadline.Add(time.Hour)
	s.Advance(late)
	fmt.Println("disabled:", s.DisabledReason())
	for _, d := range s.DisabledCapabilities() {
		fmt.Println("  ", d.Capability, d.Fields)
	}
	for _, a := range s.ActionsRequiredWith(late, requirements.ActionOptions{PlatformCollects: true}) {
		fmt.Printf("action: %-13s %-20s due %s affects %v via %v\n",
			a.Priority.Label(), a.Field, dueDate(a.DueDate), a.Capabilities, a.Paths)
	}

	// The platform submits the date of birth; Stripe's first review fails,
	// the second succeeds (Q7).
	_ = s.Submit("individual.dob.day", late)
	_ = s.VerificationFailed("individual.dob.day", requirements.Error{
		Code: requirements.CodeInvalidDOBAgeUnder18, Reason: "The person must be at least 18."}, late)
	e, _ := s.Lookup("individual.dob.day", false)
	fmt.Println("after failed review:", e.Status, e.Errors[0].Code)
	_ = s.Submit("individual.dob.day", late)
	_ = s.VerificationSucceeded("individual.dob.day", late)

	fmt.Println("disabled:", s.DisabledCapabilities() == nil, "complete:", s.Complete())
	fmt.Println("still to collect up front:", s.FieldsToCollect(requirements.Collection{Fields: requirements.CollectEventuallyDue}))
	// Output:
	// complete: false
	// incremental link collects: [external_account individual.dob.day]
	// disabled: requirements.past_due
	//    card_payments [individual.dob.day]
	//    transfers [individual.dob.day]
	// action: Past due      individual.dob.day   due 2025-06-15 affects [card_payments transfers] via submit_information,send_remediation_link
	// action: Due later     individual.id_number due -          affects [] via submit_information,send_remediation_link
	// after failed review: past_due invalid_dob_age_under_18
	// disabled: true complete: false
	// still to collect up front: [individual.id_number]
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
	// {"entries":[{"field":"external_account","kind":"requirement","status":"past_due","capabilities":["transfers"]},{"field":"risk_review","kind":"information_request","status":"currently_due"}]}
	// equal: true
}
