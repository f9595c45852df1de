package errkind_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/connectkit/connectkit/errkind"
)

var (
	errDenied   = errkind.New(errkind.Denied, "x: denied")
	errInvalid  = errkind.New(errkind.InvalidInput, "x: invalid")
	errLimited  = errkind.New(errkind.RateLimited, "x: limited")
	errNotElig  = errkind.New(errkind.NotEligible, "x: not eligible")
	errConflict = errkind.New(errkind.Conflict, "x: conflict")
)

type joined []error

func (j joined) Error() string   { return "joined" }
func (j joined) Unwrap() []error { return j }

type cyclic struct{ next *cyclic }

func (c *cyclic) Error() string { return "cyclic" }
func (c *cyclic) Unwrap() error { return c.next }

func TestOf(t *testing.T) {
	loop := &cyclic{}
	loop.next = loop
	tests := []struct {
		name string
		err  error
		want errkind.Kind
	}{
		{"nil", nil, errkind.None},
		{"sentinel", errDenied, errkind.Denied},
		{"wrapped", fmt.Errorf("op: %w", errLimited), errkind.RateLimited},
		{"unclassified", io.ErrUnexpectedEOF, errkind.OutcomeUnknown},
		{"context", context.Canceled, errkind.OutcomeUnknown},
		{"wrapped context beside a kind", errors.Join(errConflict, context.DeadlineExceeded), errkind.Conflict},
		{"denied beats not eligible", errors.Join(errNotElig, errDenied), errkind.Denied},
		{"invalid beats denied", joined{errDenied, fmt.Errorf("w: %w", errInvalid)}, errkind.InvalidInput},
		{"rate limited beats not eligible", errors.Join(errNotElig, errLimited), errkind.RateLimited},
		{"cyclic chain ends", loop, errkind.OutcomeUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errkind.Of(tt.err); got != tt.want {
				t.Errorf("Of(%v) = %v, want %v", tt.err, got, tt.want)
			}
			if !errkind.Is(tt.err, tt.want) {
				t.Errorf("Is(%v, %v) = false", tt.err, tt.want)
			}
		})
	}
}

func TestSentinelsAreDistinct(t *testing.T) {
	a := errkind.New(errkind.NotFound, "a: not found")
	b := errkind.New(errkind.NotFound, "a: not found")
	if errors.Is(a, b) {
		t.Fatal("two sentinels with one message match each other")
	}
	if !errors.Is(fmt.Errorf("w: %w", a), a) {
		t.Fatal("a wrapped sentinel does not match itself")
	}
}

func TestKindText(t *testing.T) {
	for k := errkind.None; k.Valid(); k++ {
		b, err := k.MarshalText()
		if err != nil {
			t.Fatalf("%d: %v", k, err)
		}
		var back errkind.Kind
		if err := back.UnmarshalText(b); err != nil || back != k {
			t.Fatalf("%s: round trip gave %v, %v", b, back, err)
		}
	}
	var k errkind.Kind = errkind.Denied
	if err := k.UnmarshalText([]byte("teapot")); err == nil || k != errkind.Denied {
		t.Fatalf("unknown code: err %v, kind %v", err, k)
	}
	if _, err := errkind.Kind(200).MarshalText(); errkind.Of(err) != errkind.InvalidInput {
		t.Fatalf("undeclared kind marshalled: %v", err)
	}
	if err := k.UnmarshalText([]byte("teapot")); errkind.Of(err) != errkind.InvalidInput {
		t.Fatalf("unknown code: %v is not invalid input", err)
	}
}

func BenchmarkOf(b *testing.B) {
	err := fmt.Errorf("op: %w", errors.Join(errNotElig, errDenied))
	b.ReportAllocs()
	for b.Loop() {
		if errkind.Of(err) != errkind.Denied {
			b.Fatal("wrong kind")
		}
	}
}
