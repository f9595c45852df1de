package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/requirements"
)

// requirementsChapter gives the Custom account requirements, lets a deadline
// pass, and shows what it disables and the Actions-required list.
func requirementsChapter(s *story) error {
	ctx := context.Background()
	now := s.clock.Now()
	deadline := now.Add(7 * 24 * time.Hour)
	futureDeadline := now.AddDate(0, 3, 0)
	set, err := requirements.NewSet(
		requirements.Entry{Field: "external_account", Status: requirements.CurrentlyDue, Deadline: deadline,
			Capabilities: []requirements.Capability{requirements.Transfers}},
		requirements.Entry{Field: "individual.dob.day", Status: requirements.CurrentlyDue, Deadline: deadline,
			Capabilities: []requirements.Capability{requirements.CardPayments, requirements.Transfers}},
		requirements.Entry{Field: "individual.id_number", Status: requirements.EventuallyDue},
		requirements.Entry{Field: "company.tax_id", Status: requirements.CurrentlyDue, Future: true,
			Deadline: futureDeadline, Capabilities: []requirements.Capability{requirements.CardPayments}},
		requirements.Entry{Field: "rfi_business_model", Kind: requirements.InformationRequest,
			Status: requirements.CurrentlyDue, Deadline: deadline},
	)
	if err != nil {
		return err
	}
	a, err := s.accounts.Store.Get(ctx, customID)
	if err != nil {
		return err
	}
	a.Requirements = set
	a.Representative = account.NewRepresentative("Pat Plumber", account.Date{}, "")
	if a, err = s.accounts.Store.Update(ctx, a, a.Version); err != nil {
		return err
	}
	s.note("%s owes: %s", customID, strings.Join(a.Requirements.FieldsToCollect(requirements.Collection{Fields: requirements.CollectEventuallyDue, FutureRequirements: requirements.FutureInclude}), ", "))
	s.step("Q5", "an incremental link collects %v; an up-front one %v",
		a.Requirements.FieldsToCollect(requirements.Collection{}),
		a.Requirements.FieldsToCollect(requirements.Collection{Fields: requirements.CollectEventuallyDue}))

	s.advance(7*24*time.Hour-time.Second, "one second before the deadline")
	s.step("Q2", "%s", standing(a.Requirements, s.clock.Now()))

	s.advance(time.Second, "the deadline")
	s.step("Q2", "%s", standing(a.Requirements, s.clock.Now()))
	s.step("Q2", "capabilities disabled at now: %s", disabled(a.Requirements, s.clock.Now()))
	// Stripe's account.updated webhook catches up: its word is recorded
	// verbatim, beside the prediction, never derived from it.
	if err := a.Requirements.SetDisabledReason(requirements.Source{}, requirements.ReasonRequirementsPastDue); err != nil {
		return err
	}
	s.step("Q2", "after Stripe's webhook: %s", standing(a.Requirements, s.clock.Now()))
	if a, err = s.accounts.Store.Update(ctx, a, a.Version); err != nil {
		return err
	}

	s.note("Actions required on %s, in priority order:", customID)
	for _, act := range a.Requirements.ActionsRequiredWith(s.clock.Now(), requirements.ActionOptions{PlatformCollects: true}) {
		due := "no due date"
		if !act.DueDate.IsZero() {
			due = "due " + act.DueDate.Format(time.DateOnly)
		}
		// The order is Q3's; each action's due date and capabilities are
		// Q4's, its remediation paths Q6's.
		s.step("Q3,Q4,Q6", "%-26s %-21s %s; affects %v; paths: %v", act.Priority.Label(), act.Field, due, act.Capabilities, act.Paths)
	}

	// The platform collects for this Custom account, so it submits the
	// missing facts itself (Q6 "submit", Q7).
	for _, f := range []string{"external_account", "individual.dob.day"} {
		if err := a.Requirements.Submit(f); err != nil {
			return err
		}
	}
	s.step("Q7", "submitted external_account and individual.dob.day: now pending verification")
	if err := a.Requirements.VerificationSucceeded("external_account"); err != nil {
		return err
	}
	if err := a.Requirements.VerificationFailed("individual.dob.day", requirements.Error{
		Code: requirements.CodeInvalidDOBAgeUnder18, Reason: "The person must be at least 18."}); err != nil {
		return err
	}
	e, _ := a.Requirements.Lookup("individual.dob.day")
	s.step("Q7", "Stripe verifies the bank account and rejects the date of birth: lists %s, at now %s, %s (remedy: %s)",
		e.Lists, e.StatusAt(s.clock.Now()), e.Errors[0].Code, e.Errors[0].Code.Remedy())
	err = a.Requirements.VerificationSucceeded("individual.dob.day")
	var refused *requirements.TransitionError
	if !errors.As(err, &refused) {
		return fmt.Errorf("verifying without a submission: got %v, want a refused transition", err)
	}
	s.step(refused.Rule, "marking it verified without a new submission is refused: %v", err)
	s.step("Q9", "onboarding complete: %v (only an empty due set says so)", a.Requirements.Complete())
	if _, err = s.accounts.Store.Update(ctx, a, a.Version); err != nil {
		return err
	}
	return nil
}

func disabled(s requirements.Set, now time.Time) string {
	ds := s.DisabledCapabilitiesAt(now)
	if len(ds) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(ds))
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%s (by %s)", d.Capability, strings.Join(d.Fields(), ", ")))
	}
	return strings.Join(parts, "; ")
}

// standing puts Stripe's word and the prediction at now side by side.
func standing(s requirements.Set, now time.Time) string {
	st := s.DisabledAt(now)
	stripe := "not disabled"
	if st.StripeSays() {
		stripe = "disabled (" + string(st.StripeReason) + ")"
	}
	predicted := "not disabled"
	if st.Disabled() {
		predicted = fmt.Sprintf("disabled (%s: %s overdue since %s)", st.Reason(), strings.Join(st.Fields(), ", "), st.DueDate.Format(time.DateOnly))
	}
	return "Stripe's snapshot says " + stripe + "; predicted at now: " + predicted
}
