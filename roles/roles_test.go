package roles_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/roles"
)

// wireNames is Stripe's published catalogue, written out here apart from the
// production table so that a typo in either shows.
var wireNames = map[roles.Role]string{
	roles.Owner:                          "owner",
	roles.SuperAdmin:                     "super_admin",
	roles.Admin:                          "admin",
	roles.IAMAdmin:                       "iam_admin",
	roles.Developer:                      "developer",
	roles.ConnectOnboardingAnalyst:       "connect_onboarding_analyst",
	roles.TransferAnalyst:                "transfer_analyst",
	roles.Analyst:                        "analyst",
	roles.DataMigrationSpecialist:        "data_migration_specialist",
	roles.SupportAssociate:               "support_associate",
	roles.SupportSpecialist:              "support_specialist",
	roles.SupportCommunications:          "support_communications",
	roles.ViewOnly:                       "view_only",
	roles.DisputeAnalyst:                 "dispute_analyst",
	roles.RefundAnalyst:                  "refund_analyst",
	roles.TaxAnalyst:                     "tax_analyst",
	roles.TopupSpecialist:                "topup_specialist",
	roles.TerminalSpecialist:             "terminal_specialist",
	roles.IdentityAnalyst:                "identity_analyst",
	roles.IdentityViewOnly:               "identity_view_only",
	roles.Accountant:                     "accountant",
	roles.DataEngineer:                   "data_engineer",
	roles.FinancialConnectionsSpecialist: "financial_connections_specialist",
}

func TestCatalogue_P4_WireNamesRoundTrip(t *testing.T) {
	if got, want := len(roles.All()), len(wireNames); got != want {
		t.Fatalf("All() has %d roles, the published catalogue %d", got, want)
	}
	for _, r := range roles.All() {
		want, ok := wireNames[r]
		if !ok {
			t.Errorf("role %v is not in the published catalogue", r)
			continue
		}
		if r.String() != want {
			t.Errorf("%v.String() = %q, want %q", r.Title(), r.String(), want)
		}
		got, err := roles.Parse(want)
		if err != nil || got != r {
			t.Errorf("Parse(%q) = %v, %v; want %v", want, got, err, r)
		}
		text, err := r.MarshalText()
		if err != nil || string(text) != want {
			t.Errorf("MarshalText(%v) = %q, %v", r, text, err)
		}
	}
}

func TestParse_P3_UnknownNameIsAnError(t *testing.T) {
	for _, name := range []string{"", "Admin", "administrator", "root", "admin ", "super admin"} {
		r, err := roles.Parse(name)
		if !errors.Is(err, roles.ErrUnknownRole) {
			t.Errorf("Parse(%q) error = %v, want ErrUnknownRole", name, err)
		}
		var ue *roles.UnknownRoleError
		if !errors.As(err, &ue) || ue.Name != name {
			t.Errorf("Parse(%q) error = %#v, want *UnknownRoleError naming it", name, err)
		}
		if r.Valid() {
			t.Errorf("Parse(%q) returned valid role %v with an error", name, r)
		}
	}
	var r roles.Role = roles.Analyst
	if err := r.UnmarshalText([]byte("nobody")); err == nil || r != roles.Analyst {
		t.Errorf("UnmarshalText(nobody) = %v and left %v, want an error and Analyst unchanged", err, r)
	}
	if _, err := roles.Role(0).MarshalText(); err == nil {
		t.Error("MarshalText of the zero Role succeeded")
	}
}

func TestParseSet_RejectsUnknownNames(t *testing.T) {
	s, err := roles.ParseSet("admin", "developer")
	if err != nil || s != roles.NewSet(roles.Admin, roles.Developer) {
		t.Fatalf("ParseSet(admin, developer) = %v, %v", s, err)
	}
	if _, err := roles.ParseSet("admin", "wizard"); !errors.Is(err, roles.ErrUnknownRole) {
		t.Fatalf("ParseSet(admin, wizard) error = %v, want ErrUnknownRole", err)
	}
}

func TestSet_Operations(t *testing.T) {
	s := roles.NewSet(roles.Developer, roles.Admin, roles.Role(0), roles.Role(200))
	if diff := cmp.Diff([]roles.Role{roles.Admin, roles.Developer}, s.Roles()); diff != "" {
		t.Errorf("NewSet dropped or kept the wrong roles (-want +got):\n%s", diff)
	}
	if s.Len() != 2 || !s.Has(roles.Admin) || s.Has(roles.Analyst) || s.Has(roles.Role(200)) {
		t.Errorf("Len/Has wrong for %v", s)
	}
	if got := s.Without(roles.Admin); got != roles.NewSet(roles.Developer) {
		t.Errorf("Without(Admin) = %v", got)
	}
	if got := s.String(); got != "admin,developer" {
		t.Errorf("String() = %q", got)
	}
	if got := roles.Set(0).String(); got != "none" {
		t.Errorf("empty String() = %q", got)
	}
}

// permitted lists, per action, the roles the default policy must grant:
// written out from RULES.md and the seeds, not computed from the policy.
var permitted = map[roles.Action][]roles.Role{
	// A3: Administrator or Developer (owner and super admin per P2/P4).
	roles.CreateConnectedAccount: {roles.Owner, roles.SuperAdmin, roles.Admin, roles.Developer},
	// A7, A8: at least Administrator (P2).
	roles.SendFunds: {roles.Owner, roles.SuperAdmin, roles.Admin},
	roles.PullFunds: {roles.Owner, roles.SuperAdmin, roles.Admin},
	// L7: exactly six roles, no other.
	roles.GenerateRemediationLink: {roles.Admin, roles.ConnectOnboardingAnalyst, roles.Developer,
		roles.DataMigrationSpecialist, roles.SupportAssociate, roles.SupportSpecialist},
	roles.ExportRemediationLinks: {roles.Admin, roles.ConnectOnboardingAnalyst, roles.Developer,
		roles.DataMigrationSpecialist, roles.SupportAssociate, roles.SupportSpecialist},
	roles.ResetRemediationLink: {roles.Admin, roles.ConnectOnboardingAnalyst, roles.Developer,
		roles.DataMigrationSpecialist, roles.SupportAssociate, roles.SupportSpecialist},
	roles.AcknowledgeSecurityCheck: {roles.Admin},
	roles.RequestRelink:            {roles.Owner, roles.SuperAdmin, roles.Admin, roles.FinancialConnectionsSpecialist},
	roles.RemoveAccount:            {roles.Owner, roles.SuperAdmin, roles.Admin},
	roles.EditAccountInformation: {roles.Owner, roles.SuperAdmin, roles.Admin, roles.Developer,
		roles.ConnectOnboardingAnalyst, roles.SupportAssociate, roles.SupportSpecialist},
	roles.EditPayoutSchedule: {roles.Owner, roles.SuperAdmin, roles.Admin, roles.Developer,
		roles.SupportAssociate, roles.SupportSpecialist},
	roles.ViewSupportCases: {roles.Owner, roles.SuperAdmin, roles.Admin, roles.SupportCommunications},
	roles.ViewConnectedAccount: {roles.Owner, roles.SuperAdmin, roles.Admin, roles.Developer,
		roles.ConnectOnboardingAnalyst, roles.TransferAnalyst, roles.Analyst,
		roles.DataMigrationSpecialist, roles.SupportAssociate, roles.SupportSpecialist, roles.ViewOnly},
}

func TestDefaultPolicy_EveryActionHasAnExpectation(t *testing.T) {
	for _, a := range roles.Actions() {
		if _, ok := permitted[a]; !ok {
			t.Errorf("action %v has no expected grant in this test", a)
		}
	}
}

// checkExactly asserts that, of all roles, exactly want may take a, each
// role held alone, and that the decision names the action, role and rule.
func checkExactly(t *testing.T, a roles.Action, rule string, want ...roles.Role) {
	t.Helper()
	allowed := map[roles.Role]bool{}
	for _, r := range want {
		allowed[r] = true
	}
	for _, r := range roles.All() {
		t.Run(r.String(), func(t *testing.T) {
			d := roles.Check(roles.NewSet(r), a)
			if d.Allowed != allowed[r] {
				t.Fatalf("%s: Allowed = %v, want %v (%s)", r.Title(), d.Allowed, allowed[r], d)
			}
			if d.Action != a || d.Held != roles.NewSet(r) || d.Rule() != rule {
				t.Errorf("decision names action %v, held %v, rule %s; want %v, %v, %s", d.Action, d.Held, d.Rule(), a, r, rule)
			}
			if d.Allowed {
				if d.Reason() != roles.ReasonPermitted || d.By() != r || d.Err() != nil {
					t.Errorf("allowed decision: reason %v, by %v, err %v", d.Reason(), d.By(), d.Err())
				}
			} else if d.Reason() != roles.ReasonNotPermitted || !errors.Is(d.Err(), roles.ErrDenied) {
				t.Errorf("denied decision: reason %v, err %v; want role_not_permitted and ErrDenied", d.Reason(), d.Err())
			}
		})
	}
}

func TestCheck_L7_OnlySixRolesGenerateRemediationLinks(t *testing.T) {
	checkExactly(t, roles.GenerateRemediationLink, "L7", permitted[roles.GenerateRemediationLink]...)
}

func TestCheck_L11_ExportRemediationLinks(t *testing.T) {
	checkExactly(t, roles.ExportRemediationLinks, "L11", permitted[roles.ExportRemediationLinks]...)
}

func TestCheck_L10_ResetAndAcknowledge(t *testing.T) {
	t.Run("reset", func(t *testing.T) {
		checkExactly(t, roles.ResetRemediationLink, "L10", permitted[roles.ResetRemediationLink]...)
	})
	t.Run("acknowledge", func(t *testing.T) {
		checkExactly(t, roles.AcknowledgeSecurityCheck, "L10", permitted[roles.AcknowledgeSecurityCheck]...)
	})
}

func TestCheck_A3_AdministratorOrDeveloperCreatesAccounts(t *testing.T) {
	checkExactly(t, roles.CreateConnectedAccount, "A3", permitted[roles.CreateConnectedAccount]...)
}

func TestCheck_A7_P2_AtLeastAdministratorSendsFunds(t *testing.T) {
	checkExactly(t, roles.SendFunds, "A7", permitted[roles.SendFunds]...)
}

func TestCheck_A8_P2_AtLeastAdministratorPullsFunds(t *testing.T) {
	checkExactly(t, roles.PullFunds, "A8", permitted[roles.PullFunds]...)
}

func TestCheck_K3_RequestRelink(t *testing.T) {
	checkExactly(t, roles.RequestRelink, "K3", permitted[roles.RequestRelink]...)
}

func TestCheck_A6_RemoveAccount(t *testing.T) {
	checkExactly(t, roles.RemoveAccount, "A6", permitted[roles.RemoveAccount]...)
}

func TestCheck_A9_EditAccountAndPayoutSchedule(t *testing.T) {
	t.Run("information", func(t *testing.T) {
		checkExactly(t, roles.EditAccountInformation, "A9", permitted[roles.EditAccountInformation]...)
	})
	t.Run("payout schedule", func(t *testing.T) {
		checkExactly(t, roles.EditPayoutSchedule, "A9", permitted[roles.EditPayoutSchedule]...)
	})
}

func TestCheck_A5_ViewSupportCases(t *testing.T) {
	checkExactly(t, roles.ViewSupportCases, "A5", permitted[roles.ViewSupportCases]...)
}

func TestCheck_A10_ViewConnectedAccount(t *testing.T) {
	checkExactly(t, roles.ViewConnectedAccount, "A10", permitted[roles.ViewConnectedAccount]...)
}

func TestCheck_P1_SeveralRolesAllowWhenAnyAllows(t *testing.T) {
	held := roles.NewSet(roles.Analyst, roles.SupportSpecialist)
	d := roles.Check(held, roles.GenerateRemediationLink)
	if !d.Allowed || d.By() != roles.SupportSpecialist || d.Held != held {
		t.Fatalf("Analyst+Support Specialist: %+v", d)
	}
	d = roles.Check(roles.NewSet(roles.Analyst, roles.ViewOnly), roles.SendFunds)
	if d.Allowed || d.Reason() != roles.ReasonNotPermitted {
		t.Fatalf("Analyst+View Only sending funds: %+v", d)
	}
}

func TestCheck_P3_DefaultDeny(t *testing.T) {
	tests := []struct {
		name   string
		policy roles.Policy
		held   roles.Set
		action roles.Action
		reason roles.Reason
	}{
		{"no roles", roles.Default(), 0, roles.ViewConnectedAccount, roles.ReasonNoRoles},
		{"only bits outside the catalogue", roles.Default(), roles.Set(1 << 31), roles.ViewConnectedAccount, roles.ReasonNoRoles},
		{"undeclared action", roles.Default(), roles.NewSet(roles.Owner), roles.Action(0), roles.ReasonUnknownAction},
		{"action past the last", roles.Default(), roles.NewSet(roles.Owner), roles.Action(250), roles.ReasonUnknownAction},
		{"zero policy", roles.Policy{}, roles.NewSet(roles.Owner, roles.Admin), roles.SendFunds, roles.ReasonNotPermitted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.policy.Check(tt.held, tt.action)
			if d.Allowed || d.Reason() != tt.reason || !errors.Is(d.Err(), roles.ErrDenied) {
				t.Fatalf("got %+v (%s), want denied with %v", d, d, tt.reason)
			}
			var de *roles.DeniedError
			if !errors.As(d.Err(), &de) || de.Decision.Reason() != tt.reason {
				t.Fatalf("Err() = %#v, want *DeniedError carrying the decision", d.Err())
			}
		})
	}
}

func TestDecision_SentenceNamesRolesActionAndRule(t *testing.T) {
	d := roles.Check(roles.NewSet(roles.Analyst), roles.GenerateRemediationLink)
	want := "Analyst may not generate remediation links (L7: allowed to Administrator, " +
		"Developer, Connect Onboarding Analyst, Data Migration Specialist, Support Associate, Support Specialist)"
	if d.String() != want {
		t.Errorf("String() =\n%s\nwant\n%s", d, want)
	}
	if got := roles.Check(roles.NewSet(roles.Developer), roles.CreateConnectedAccount).String(); got != "Developer may create connected accounts (A3)" {
		t.Errorf("String() = %q", got)
	}
}

func TestNewPolicy_ValidatesTheTable(t *testing.T) {
	tests := []struct {
		name  string
		table []roles.Grant
		is    []error
	}{
		{"undeclared action", []roles.Grant{{Action: roles.Action(99), Roles: roles.NewSet(roles.Admin)}}, []error{roles.ErrInvalidPolicy, roles.ErrUnknownAction}},
		{"zero action", []roles.Grant{{Roles: roles.NewSet(roles.Admin)}}, []error{roles.ErrInvalidPolicy, roles.ErrUnknownAction}},
		{"action twice", []roles.Grant{{Action: roles.SendFunds}, {Action: roles.SendFunds}}, []error{roles.ErrInvalidPolicy}},
		{"role outside the catalogue", []roles.Grant{{Action: roles.SendFunds, Roles: roles.Set(1 << 30)}}, []error{roles.ErrInvalidPolicy, roles.ErrUnknownRole}},
		{"the zero role's bit", []roles.Grant{{Action: roles.SendFunds, Roles: roles.Set(1)}}, []error{roles.ErrInvalidPolicy, roles.ErrUnknownRole}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := roles.NewPolicy(tt.table)
			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("error %v does not match %v", err, target)
				}
			}
			if p != (roles.Policy{}) {
				t.Errorf("a refused table returned a non-zero policy")
			}
		})
	}
}

func TestParsePolicy_UnknownNamesAreErrors(t *testing.T) {
	p, err := roles.ParsePolicy(map[string][]string{"send_funds": {"admin", "developer"}})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Check(roles.NewSet(roles.Developer), roles.SendFunds).Allowed {
		t.Error("custom policy does not let Developer send funds")
	}
	if p.Check(roles.NewSet(roles.Owner), roles.SendFunds).Allowed {
		t.Error("custom policy lets the Owner send funds though its table does not")
	}
	if _, err := roles.ParsePolicy(map[string][]string{"send_fund": {"admin"}}); !errors.Is(err, roles.ErrUnknownAction) || !errors.Is(err, roles.ErrInvalidPolicy) {
		t.Errorf("unknown action: error %v", err)
	}
	if _, err := roles.ParsePolicy(map[string][]string{"send_funds": {"admn"}}); !errors.Is(err, roles.ErrUnknownRole) || !errors.Is(err, roles.ErrInvalidPolicy) {
		t.Errorf("unknown role: error %v", err)
	}
}

func TestAction_WireNamesRoundTrip(t *testing.T) {
	for _, a := range roles.Actions() {
		text, err := a.MarshalText()
		if err != nil {
			t.Fatalf("MarshalText(%v): %v", a, err)
		}
		var back roles.Action
		if err := back.UnmarshalText(text); err != nil || back != a {
			t.Errorf("UnmarshalText(%s) = %v, %v", text, back, err)
		}
	}
	if _, err := roles.ParseAction("fly"); !errors.Is(err, roles.ErrUnknownAction) {
		t.Errorf("ParseAction(fly) error = %v", err)
	}
}

// TestCheck_DoesNotAllocate pins the hot path at zero allocations: every
// branch of Check (allowed, refused, no roles, undeclared action) over the
// whole role × action matrix, and reading the decision's facts (Allowed,
// By, Rule, Permitted, Err when allowed). Only String, Err when refused and
// MarshalJSON build text.
func TestCheck_DoesNotAllocate(t *testing.T) {
	p := roles.Default()
	sets := []roles.Set{0, roles.NewSet(roles.Analyst, roles.SupportSpecialist), roles.NewSet(roles.Owner)}
	for _, r := range roles.All() {
		sets = append(sets, roles.NewSet(r))
	}
	actions := append(roles.Actions(), 0, roles.Action(200))
	var sink int
	allocs := testing.AllocsPerRun(100, func() {
		for _, held := range sets {
			for _, a := range actions {
				d := p.Check(held, a)
				if d.Allowed && d.Err() == nil {
					sink += int(d.By()) + len(d.Rule()) + d.Permitted().Len()
				}
				sink += int(d.Reason()) + len(d.Reason().Code())
			}
		}
	})
	if allocs != 0 {
		t.Fatalf("Check allocates %v times per run, want 0", allocs)
	}
	_ = sink
}

// When several held roles grant the action, the decision names the first
// in catalogue order (P1), whatever order the roles were given in: a
// Developer and an Administrator may both create accounts, and the
// Administrator comes first in Stripe's list.
func TestCheck_P1_ByIsFirstGrantingRoleInCatalogueOrder(t *testing.T) {
	for _, tc := range []struct {
		held   []roles.Role
		action roles.Action
		want   roles.Role
	}{
		{[]roles.Role{roles.Developer, roles.Admin}, roles.CreateConnectedAccount, roles.Admin},
		{[]roles.Role{roles.Admin, roles.Developer}, roles.CreateConnectedAccount, roles.Admin},
		{[]roles.Role{roles.ViewOnly, roles.Owner, roles.Admin}, roles.SendFunds, roles.Owner},
		{[]roles.Role{roles.SupportSpecialist, roles.Analyst, roles.ViewOnly}, roles.ViewConnectedAccount, roles.Analyst},
	} {
		d := roles.Check(roles.NewSet(tc.held...), tc.action)
		if !d.Allowed || d.By() != tc.want {
			t.Errorf("Check(%v, %v): allowed %v by %v, want by %v", tc.held, tc.action, d.Allowed, d.By(), tc.want)
		}
	}
}

// The zero Decision was made by no policy: it allows nothing (P3), names no
// reason and no granting role, and encodes with no reason.
func TestDecision_P3_ZeroDecisionAllowsNothing(t *testing.T) {
	var d roles.Decision
	if d.Allowed || d.Reason() != 0 || d.By() != 0 || !errors.Is(d.Err(), roles.ErrDenied) {
		t.Fatalf("zero decision: allowed %v, reason %v, by %v, err %v", d.Allowed, d.Reason(), d.By(), d.Err())
	}
	b, err := json.Marshal(d)
	if err != nil || !strings.Contains(string(b), `"allowed":false`) || !strings.Contains(string(b), `"reasons":[]`) {
		t.Fatalf("zero decision encodes as %s, %v", b, err)
	}
}
