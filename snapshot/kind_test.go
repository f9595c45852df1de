package snapshot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/snapshot"
)

// TestErrors_Kinds lists every exported sentinel of the package (it has no
// error types) with the kind errkind.Of gives it, and the errors that match
// it.
func TestErrors_Kinds(t *testing.T) {
	created := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		err  error
		want errkind.Kind
	}{
		{"ErrInvalid", snapshot.ErrInvalid, errkind.InvalidInput},
		{"Validate/no event ID", snapshot.Mark{Created: created}.Validate(), errkind.InvalidInput},
		{"Validate/long event ID", snapshot.Mark{Created: created, EventID: "evt_" + strings.Repeat("x", snapshot.MaxEventIDLen)}.Validate(), errkind.InvalidInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil {
				t.Fatal("no error to classify")
			}
			if got := errkind.Of(tc.err); got != tc.want {
				t.Errorf("errkind.Of(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}
