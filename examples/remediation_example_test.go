package examples_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/roles"
)

// Example_remediation is a support team's remediation-link work. A role
// that may not generate links is refused together with everything the
// account lacks (L7, L8); once fixed, a Support Specialist generates one;
// where it opens depends on the account (L9); after four wrong-information
// failures a reset needs an Administrator's security-check acknowledgement,
// which buys four more resets (L10); and a bulk export gives one row per
// account, with the link or the reasons there is none (L11).
func Example_remediation() {
	ctx := context.Background()
	clk := clocktest.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	svc := &links.Service{Store: links.NewMemoryStore(), Clock: clk,
		// The accounts of this example live in local variables, none
		// removed; in production pass the account.Store, so that a removed
		// account's links stop working (A6).
		Accounts: links.AccountsFunc(func(_ context.Context, id account.ID) (account.Account, error) {
			return account.Account{ID: id}, nil
		}),
		Rand: rand.NewChaCha8([32]byte{'r', 'e', 'm'})} // seeded: same link IDs every run
	ada := roles.User{ID: "ada", Roles: roles.NewSet(roles.Admin)}
	sam := roles.User{ID: "sam", Roles: roles.NewSet(roles.SupportSpecialist)}
	tess := roles.User{ID: "tess", Roles: roles.NewSet(roles.TransferAnalyst)}

	// A Custom account whose representative gave a name but no date of
	// birth, with no payout account yet. A refusal names every reason.
	acct := account.NewCustom("acct_plumber", "US")
	acct.Representative = account.NewRepresentative("Pat Plumber", account.Date{}, "")
	acct.OwnerConfirmed = true // the platform checked who the owner is (L6)
	_, err := svc.GenerateRemediationLink(ctx, tess, acct)
	var refused *links.DecisionError
	if !errors.As(err, &refused) { // nil, or a storage fault
		fmt.Println("generate for tess:", err)
		return
	}
	fmt.Println("tess:", refused.Decision.Role.Reason.Code(), refused.Decision.Role.Rule(), refused.Decision.Reasons)
	acct.Representative = acct.Representative.WithDOB(account.Date{Year: 1980, Month: time.May, Day: 17})
	acct.HasExternalAccount = true
	link, err := svc.GenerateRemediationLink(ctx, sam, acct)
	if err != nil {
		fmt.Println("generate:", err)
		return
	}
	fmt.Println("sam:", link.Link.ID, "active until", link.Link.ExpiresAt.Format(time.DateOnly))

	// Where a link opens (L9). The notification banner component decides
	// first: the platform's banner page, or hosted onboarding when the
	// platform has configured none. Otherwise the dashboard decides.
	platform := account.Platform{Country: "US", Live: true, BannerPageURL: "https://platform.example/tasks"}
	banner := account.NewExpress("acct_florist", "US")
	banner.Components.NotificationBanner = true
	noPage := platform
	noPage.BannerPageURL = ""
	for _, c := range []struct {
		a account.Account
		p account.Platform
	}{{account.NewStandard("acct_bakery", "US"), platform}, {account.NewExpress("acct_cafe", "US"), platform},
		{acct, platform}, {banner, platform}, {banner, noPage}} {
		d, err := links.ResolveDestination(c.a, c.p)
		if err != nil {
			fmt.Println(c.a.ID, err)
			continue
		}
		where := d.Kind.String()
		if d.URL != "" {
			where += " at " + d.URL
		}
		fmt.Printf("%s (%s dashboard) opens %s; fell back: %v\n", c.a.ID, c.a.Dashboard, where, d.FellBack)
	}

	// Wrong information, again and again (L10). Each failure blocks the
	// link until the platform checks the account's information and resets
	// it. From the fourth on, each reset spends a credit; an Administrator's
	// acknowledgement of the security check grants four.
	id := link.Link.ID
	for i := 1; i <= 8; i++ {
		if _, _, err := svc.RecordVerificationFailure(ctx, id, links.FailureWrongInformation); err != nil {
			fmt.Println("record:", err)
			return
		}
		l, err := svc.ResetRemediationLink(ctx, sam, id)
		if errors.Is(err, links.ErrSecurityCheckRequired) && i == links.WrongInformationLimit {
			fmt.Printf("failure %d: %v\n", i, err)
			_, samErr := svc.AcknowledgeSecurityCheck(ctx, sam, id)
			fmt.Println("sam acknowledges:", samErr)
			if _, err = svc.AcknowledgeSecurityCheck(ctx, ada, id); err == nil {
				fmt.Println("ada acknowledges; sam resets again")
				l, err = svc.ResetRemediationLink(ctx, sam, id)
			}
		}
		if err != nil {
			fmt.Printf("failure %d: %v\n", i, err)
			break
		}
		fmt.Printf("failure %d: reset; credits %d\n", i, l.ResetCredits)
	}

	// A bulk export over a filtered set of accounts: one row each, with a
	// link (the active one reused, or a new one) or every reason (L11).
	roofer, locksmith := acct, acct
	roofer.ID = "acct_roofer"
	locksmith.ID, locksmith.HasExternalAccount = "acct_locksmith", false
	painter := account.NewExpress("acct_painter", "US") // nothing on file
	filtered := []account.Account{acct, roofer, locksmith, painter}
	sum, err := svc.ExportRemediationLinks(ctx, sam, slices.Values(filtered), func(row links.ExportRow) error {
		if row.OK() {
			fmt.Println("export:", row.Account, row.Link.ID, "new:", row.New)
		} else {
			fmt.Println("export:", row.Account, "refused:", row.Decision.Reasons)
		}
		return nil // an error here (a closed HTTP response, say) stops the export
	})
	if err != nil {
		fmt.Println("export:", err)
		return
	}
	fmt.Printf("%+v\n", sum)
	// Output:
	// tess: role_not_permitted L7 representative_dob_missing,external_account_missing
	// sam: rml_dd33314a6c901551285b3ab2 active until 2026-05-31
	// acct_bakery (full dashboard) opens account_status_page; fell back: false
	// acct_cafe (express dashboard) opens express_onboarding; fell back: false
	// acct_plumber (none dashboard) opens hosted_onboarding; fell back: false
	// acct_florist (express dashboard) opens platform_banner_page at https://platform.example/tasks; fell back: false
	// acct_florist (express dashboard) opens hosted_onboarding; fell back: true
	// failure 1: reset; credits 0
	// failure 2: reset; credits 0
	// failure 3: reset; credits 0
	// failure 4: links: wrong information was entered four times and no reset is left; acknowledge the security check before resetting (L10)
	// sam acknowledges: links: Support Specialist may not acknowledge a remediation link security check (L10: allowed to Administrator)
	// ada acknowledges; sam resets again
	// failure 4: reset; credits 3
	// failure 5: reset; credits 2
	// failure 6: reset; credits 1
	// failure 7: reset; credits 0
	// failure 8: links: wrong information was entered four times and no reset is left; acknowledge the security check before resetting (L10)
	// export: acct_plumber rml_dd33314a6c901551285b3ab2 new: false
	// export: acct_roofer rml_a04b1f442ed357cd5f8699ad new: true
	// export: acct_locksmith refused: external_account_missing
	// export: acct_painter refused: owner_not_set,representative_name_missing,representative_dob_missing,external_account_missing
	// {Rows:4 New:1 Reused:1 Refused:2 Failed:0}
}
