package events_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/events"
)

// accountUpdated returns an account.updated for fixtureAccount whose
// requirements hash lists n fields currently due.
func accountUpdated(tb testing.TB, n int) []byte {
	due := make([]string, n)
	for i := range due {
		due[i] = fmt.Sprintf("person_%d.verification.document", i)
	}
	b, err := json.Marshal(map[string]any{"id": "evt_bench", "object": "event", "type": "account.updated", "created": t0.Unix(),
		"account": string(fixtureAccount), "data": map[string]any{"object": map[string]any{
			"object": "account", "id": string(fixtureAccount), "country": "US", "email": "a@example.com",
			"capabilities": map[string]any{"card_payments": "active", "transfers": "active"},
			"requirements": map[string]any{"currently_due": due, "eventually_due": due, "past_due": []string{}, "pending_verification": []string{},
				"current_deadline": t0.Add(time.Hour).Unix(), "disabled_reason": nil, "errors": []any{}, "alternatives": []any{}},
			"future_requirements": map[string]any{"currently_due": []string{}}}}})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// BenchmarkApply_AccountUpdated100 applies an account.updated with 100
// requirements through the in-memory store: read, judge, decode, one
// conditional write, and the report. Each iteration is a newer event.
func BenchmarkApply_AccountUpdated100(b *testing.B) {
	h, _ := setup(b)
	ev, err := events.Parse(accountUpdated(b, 100))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		ev.ID, ev.Created = fmt.Sprintf("evt_%09d", i), t0.Add(time.Duration(i)*time.Second)
		r, err := h.ApplyAt(ctx, ev, t0)
		if err != nil || r.Outcome != events.OutcomeApplied {
			b.Fatal(r.Outcome, err)
		}
	}
}

// BenchmarkParse parses an account.updated of n requirements (about 50 bytes
// each): Parse is linear in the payload, so ns/op and B/op grow tenfold
// from one size to the next and MB/s stays flat.
func BenchmarkParse(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		in := accountUpdated(b, n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if _, err := events.Parse(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeAccount decodes the data.object of an account.updated of n
// requirements (DecodeAccount, through requirements.DecodeV1): linear in n.
func BenchmarkDecodeAccount(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		ev, err := events.Parse(accountUpdated(b, n))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(ev.Data)))
			for b.Loop() {
				if _, err := events.DecodeAccount(ev.Data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDiff computes the report of an account.updated that makes n
// requirements due.
func BenchmarkDiff(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			ev, err := events.Parse(accountUpdated(b, n))
			if err != nil {
				b.Fatal(err)
			}
			snap, err := events.DecodeAccount(ev.Data)
			if err != nil {
				b.Fatal(err)
			}
			before := account.NewStandard(fixtureAccount, "US")
			after, err := before.WithAccountSnapshot(snap)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if c := events.Diff(before, after, t0); len(c.Fields) != n {
					b.Fatal(len(c.Fields))
				}
			}
		})
	}
}
