package connectkit_test

import (
	"fmt"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/roles"
)

// The packages together: an account's requirement falls past due at its
// deadline (Q2), the Actions-required list shows it first among the
// requirements (Q3), and a support agent's request for a remediation link
// is decided by role (L7) and by what the account has on file (L8) — every
// reason at once, each with its rule.
func Example() {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	reqs, err := requirements.NewSet(
		requirements.Entry{Field: "individual.dob.day", Status: requirements.CurrentlyDue,
			Deadline: now, Capabilities: []requirements.Capability{requirements.CardPayments}},
		requirements.Entry{Field: "individual.id_number", Status: requirements.EventuallyDue},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The deadline has arrived: still currently due by Stripe's snapshot,
	// past due at now by prediction (Q2).
	for _, a := range reqs.ActionsRequired(now) {
		fmt.Println(a.Priority.Label()+":", a.Field, a.Capabilities)
	}

	acct := account.NewCustom("acct_1", "US")
	acct.Requirements = reqs
	acct.Representative = account.NewRepresentative("Jenny Rosen", account.Date{}, "")
	acct.OwnerConfirmed = true

	agent := roles.NewSet(roles.SupportSpecialist)
	d := links.CanGenerateRemediationLink(roles.Default(), agent, acct)
	for r := range d.Reasons.All() {
		fmt.Println(r.Rule(), r.Code())
	}
	fmt.Println(roles.Check(roles.NewSet(roles.Analyst), roles.GenerateRemediationLink).Allowed)
	// Output:
	// Past due: individual.dob.day [card_payments]
	// Due later: individual.id_number []
	// L8 representative_dob_missing
	// L8 external_account_missing
	// false
}
