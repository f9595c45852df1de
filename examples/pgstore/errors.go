package pgstore

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// dbErr wraps a database or driver error for op. It never turns the error
// into one of the library's sentinels: a lost connection is not "not
// found". When ctx is done the result also matches ctx.Err(), so a caller
// that cancelled sees context.Canceled (or context.DeadlineExceeded)
// whatever the driver said.
func dbErr(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("pgstore: %s: %w: %w", op, cerr, err)
	}
	return fmt.Errorf("pgstore: %s: %w", op, err)
}

// noVersion matches no stored row: versions start at 1.
const noVersion int64 = -1

// sqlVersion converts an expected version to the bigint column's type. A
// version beyond int64 cannot be stored, so it matches nothing, exactly as
// a stale version does.
func sqlVersion(v uint64) int64 {
	if v > math.MaxInt64 {
		return noVersion
	}
	return int64(v)
}
