package requirements_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/connectkit/connectkit/requirements"
)

var benchSizes = []int{100, 1000, 10000}

// benchFields returns n field names in sorted or reverse order.
func benchFields(n int, reverse bool) []string {
	fs := make([]string, n)
	for i := range fs {
		fs[i] = fmt.Sprintf("person_%06d.verification.document", i)
	}
	if reverse {
		slices.Reverse(fs)
	}
	return fs
}

// benchV1 is an account with n fields currently (and eventually) due,
// every tenth also pending and with an error, and n/10 alternatives.
func benchV1(n int, reverse bool) []byte {
	fs := benchFields(n, reverse)
	var errs, alts, pending []any
	for i, f := range fs {
		if i%10 == 0 {
			pending = append(pending, f)
			errs = append(errs, map[string]any{"code": "verification_document_expired", "reason": "expired", "requirement": f})
			alts = append(alts, map[string]any{"alternative_fields_due": []string{f + ".alt"}, "original_fields_due": []string{f}})
		}
	}
	b, _ := json.Marshal(map[string]any{"object": "account", "id": "acct_1", "requirements": map[string]any{
		"current_deadline": 1767225600, "currently_due": fs, "eventually_due": fs, "past_due": []string{},
		"pending_verification": pending, "errors": errs, "alternatives": alts, "disabled_reason": nil,
	}})
	return b
}

func benchV2(n int, reverse bool) []byte {
	var entries []any
	for i, f := range benchFields(n, reverse) {
		e := map[string]any{"awaiting_action_from": "user", "description": f, "errors": []any{},
			"impact":           map[string]any{"restricts_capabilities": []any{map[string]any{"capability": "card_payments", "configuration": "merchant", "deadline": map[string]any{"status": "currently_due"}}}},
			"minimum_deadline": map[string]any{"status": "currently_due"}, "requested_reasons": []any{map[string]any{"code": "routine_onboarding"}}}
		if i%10 == 0 {
			e["errors"] = []any{map[string]any{"code": "verification_document_expired", "description": "expired"}}
		}
		entries = append(entries, e)
	}
	b, _ := json.Marshal(map[string]any{"object": "v2.core.account", "id": "acct_1", "requirements": map[string]any{
		"entries": entries, "summary": map[string]any{"minimum_deadline": map[string]any{"status": "currently_due", "time": "2026-01-01T00:00:00.000Z"}}}})
	return b
}

func forSizes(b *testing.B, run func(b *testing.B, n int, reverse bool)) {
	for _, order := range []string{"sorted", "reverse"} {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("%s/n=%d", order, n), func(b *testing.B) { run(b, n, order == "reverse") })
		}
	}
}

func BenchmarkDecodeV1Fixture(b *testing.B) {
	in := fixture(b, "v1_account_fixture.json")
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := requirements.DecodeV1(in, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeV1(b *testing.B) {
	forSizes(b, func(b *testing.B, n int, reverse bool) {
		in := benchV1(n, reverse)
		b.ReportAllocs()
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			if _, err := requirements.DecodeV1(in, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkDecodeV2(b *testing.B) {
	forSizes(b, func(b *testing.B, n int, reverse bool) {
		in := benchV2(n, reverse)
		b.ReportAllocs()
		b.SetBytes(int64(len(in)))
		loopCPU(b, func() {
			if _, err := requirements.DecodeV2(in); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkActionsRequired: the account's hash merged with a capability's
// (another deadline) listing every other field, at an instant when the
// capability's deadline has passed.
func BenchmarkActionsRequired(b *testing.B) { benchActions(b, false) }

func benchActions(b *testing.B, appendTo bool) {
	forSizes(b, func(b *testing.B, n int, reverse bool) {
		s, err := requirements.DecodeV1(benchV1(n, reverse), nil)
		if err != nil {
			b.Fatal(err)
		}
		var half []string
		for i, f := range benchFields(n, reverse) {
			if i%2 == 0 {
				half = append(half, f)
			}
		}
		c, _ := json.Marshal(map[string]any{"object": "capability", "id": "card_payments", "requirements": map[string]any{
			"current_deadline": 1760000000, "currently_due": half, "eventually_due": half, "past_due": []string{},
			"pending_verification": []string{}, "errors": []any{}}})
		cs, err := requirements.DecodeV1(c, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Merge(cs); err != nil {
			b.Fatal(err)
		}
		now := time.Unix(1760000000, 0)
		b.ReportAllocs()
		if appendTo {
			var buf []requirements.Action
			loopCPU(b, func() {
				if buf = s.AppendActionsRequired(buf[:0], now, requirements.ActionOptions{}); len(buf) != n {
					b.Fatal("wrong number of actions")
				}
			})
			return
		}
		loopCPU(b, func() {
			if len(s.ActionsRequired(now)) != n {
				b.Fatal("wrong number of actions")
			}
		})
	})
}

// BenchmarkAppendActionsRequired is BenchmarkActionsRequired listing into
// one reused buffer, as a server listing many accounts' actions would.
func BenchmarkAppendActionsRequired(b *testing.B) { benchActions(b, true) }

func BenchmarkNewSet(b *testing.B) {
	forSizes(b, func(b *testing.B, n int, reverse bool) {
		var es []requirements.Entry
		for _, f := range benchFields(n, reverse) {
			es = append(es, requirements.Entry{Field: f, Status: requirements.CurrentlyDue, Capabilities: []requirements.Capability{requirements.Transfers}})
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := requirements.NewSet(es...); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkSetUnmarshalJSON(b *testing.B) {
	forSizes(b, func(b *testing.B, n int, reverse bool) {
		s, err := requirements.DecodeV1(benchV1(n, reverse), nil)
		if err != nil {
			b.Fatal(err)
		}
		data, _ := json.Marshal(s)
		if reverse { // hashes' entries in reverse order: UnmarshalJSON sorts once
			var w map[string]any
			_ = json.Unmarshal(data, &w)
			h := w["hashes"].([]any)[0].(map[string]any)
			es := h["entries"].([]any)
			slices.Reverse(es)
			data, _ = json.Marshal(w)
		}
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		loopCPU(b, func() {
			var t requirements.Set
			if err := t.UnmarshalJSON(data); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkAlternatives reads the alternatives shape (altShape: n fields,
// each listed as an original by 4 alternatives items of n fields): the
// input grows with n, and so must decode, Entries, Lookup and
// ActionsRequired — linearly, where copying each item once per field it
// lists grew with n².
func BenchmarkAlternatives(b *testing.B) {
	for _, op := range []string{"decode", "entries", "lookup", "actions"} {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("%s/n=%d", op, n), func(b *testing.B) {
				in := altShape(n, 4)
				s, err := requirements.DecodeV1(in, nil)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.SetBytes(int64(len(in)))
				now := time.Unix(1, 0)
				for b.Loop() {
					switch op {
					case "decode":
						_, err = requirements.DecodeV1(in, nil)
					case "entries":
						if len(s.Entries()) != n {
							b.Fatal("wrong number of entries")
						}
					case "lookup":
						if _, ok := s.Lookup("f1"); !ok {
							b.Fatal("f1 not found")
						}
					case "actions":
						if len(s.ActionsRequired(now)) != n {
							b.Fatal("wrong number of actions")
						}
					}
				}
				if err != nil {
					b.Fatal(err)
				}
			})
		}
	}
}
