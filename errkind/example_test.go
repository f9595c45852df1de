package errkind_test

import (
	"errors"
	"fmt"

	"github.com/connectkit/connectkit/errkind"
)

// An HTTP layer chooses a status from the kind alone.
func ExampleOf() {
	status := map[errkind.Kind]int{
		errkind.None: 200, errkind.InvalidInput: 400, errkind.Denied: 403,
		errkind.NotFound: 404, errkind.Exists: 409, errkind.Conflict: 409,
		errkind.AlreadyUsed: 409, errkind.NotEligible: 422,
		errkind.RateLimited: 429, errkind.OutcomeUnknown: 503,
	}
	errLimited := errkind.New(errkind.RateLimited, "relink: rate limited")
	for _, err := range []error{
		nil,
		fmt.Errorf("relink: request acct_1: %w", errLimited),
		errors.New("driver: connection reset"),
	} {
		k := errkind.Of(err)
		fmt.Println(status[k], k, k.Retryable())
	}
	// Output:
	// 200 none false
	// 429 rate_limited true
	// 503 outcome_unknown true
}
