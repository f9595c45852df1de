package snapshot_test

import (
	"fmt"
	"time"

	"github.com/connectkit/connectkit/snapshot"
)

// A webhook handler keeps the newest snapshot whatever the delivery order.
func ExampleJudge() {
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	older := snapshot.Mark{Created: at, EventID: "evt_1"}
	newer := snapshot.Mark{Created: at.Add(time.Second), EventID: "evt_2"}

	stored := newer // the newer event arrived first
	fmt.Println(snapshot.Judge(stored, older))
	fmt.Println(snapshot.Judge(stored, newer))
	fmt.Println(snapshot.Judge(snapshot.Mark{}, older))
	// Output:
	// stale
	// duplicate
	// newer
}
