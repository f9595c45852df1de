// Package examples holds connectkit's end-to-end scenarios: documentation
// that a newcomer reads first and that the test suite checks is still true.
// It exports nothing; read it with go doc or in its _test.go files.
//
// # Scenarios
//
// Each main flow is an Example function with an "// Output:" comment, in
// the external test package examples_test, one file per flow:
//
//   - Example_onboarding (onboarding_example_test.go): an account link is
//     made, refused for a plain-HTTP refresh URL, redeemed once, sent to the
//     refresh URL on a second visit, refreshed under a bound that stops a
//     refresh loop, and returned from, where only the requirements say
//     whether onboarding is complete (L1, L2, Q5, Q9).
//   - Example_remediation (remediation_example_test.go): who may generate a
//     remediation link and what the account must have, where it opens for
//     each kind of account, the four-failure security check, and a bulk
//     export (L6–L11).
//   - Example_relinkCampaign (relink_example_test.go): a Financial
//     Connections relink campaign sorted into now, later and never, held
//     back by the 48-hour limit that completion resets (K2–K4).
//   - Example_teamRoles (roles_example_test.go): a team whose members hold
//     several roles, the permission matrix, a stricter policy read from
//     configuration, and unknown role names refused (P1–P3).
//   - Example_funds (funds_example_test.go): sending and pulling funds in
//     exact decimal arithmetic, every refusal reason, and a lost race
//     retried the way a service retries it (A7, A8).
//
// The examples use the in-memory stores, a fake clock (clocktest.New) and,
// where links are made, a seeded random source, so their output is the
// same on every run. They handle errors as a service would: branch with
// errors.Is, print, and return; none calls log.Fatal. The rule IDs (L1,
// K3, …) are those of the rule catalogue, RULES.md at the repository root.
//
// # Elsewhere in this directory
//
//   - ./tour is a runnable program that tells the whole story in one go,
//     chapter by chapter, naming the rule behind every step.
//   - ./pgstore is the PostgreSQL adapter for account.Store, links.Store
//     and relink.Store, in a nested module so that connectkit itself does
//     not depend on a database driver.
//   - ./policytest shows how to property-test a roles policy of your own
//     with pgregory.net/rapid.
//
// # Running them
//
//	go test ./examples                          # check every scenario's output
//	go test ./examples -run Example_funds -v    # one scenario, verbosely
//	go doc -all ./examples                      # this overview
//	go run ./examples/tour                      # the tour
//	cd examples/pgstore && go test ./...        # the adapter; set CONNECTKIT_PG_URL
package examples
