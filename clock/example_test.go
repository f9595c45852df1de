package clock_test

import (
	"fmt"
	"time"

	"github.com/connectkit/connectkit/clock"
)

// A service holds a clock.Clock; production passes clock.System{}, tests a
// fake. Here an existing time source is adapted with clock.Func.
func Example() {
	fixed := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	var c clock.Clock = clock.Func(func() time.Time { return fixed })
	fmt.Println(c.Now().Format(time.DateTime))
	// Output: 2026-11-23 12:00:00
}
