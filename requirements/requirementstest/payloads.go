package requirementstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"pgregory.net/rapid"
)

// payloadCaps are the capability names payloads draw from.
var payloadCaps = []string{"card_payments", "transfers", "us_bank_account_ach_payments", "stripe_balance.payouts"}

// accountReasons and capabilityReasons are disabled_reason values drawn,
// each list with one Stripe has not published yet.
var (
	accountReasons    = []string{"requirements.past_due", "requirements.pending_verification", "under_review", "rejected.fraud", "platform_paused", "a_reason_stripe_adds_later"}
	capabilityReasons = []string{"requirements.fields_needed", "pending.onboarding", "pending.review", "rejected.unsupported_business", "paused.inactivity", "a_capability_reason_stripe_adds_later"}
	capStatuses       = []string{"active", "inactive", "pending", "unrequested", "disabled", "a_status_stripe_adds_later"}
)

// listSets are the list memberships a field is drawn with: the overlaps
// Stripe documents (past due ⊂ currently due ⊂ eventually due, due and
// pending at once) and ones it does not promise but may send (past due
// alone).
var listSets = [][]string{
	{"currently_due", "eventually_due"},
	{"eventually_due"},
	{"past_due", "currently_due", "eventually_due"},
	{"pending_verification"},
	{"currently_due", "eventually_due", "pending_verification"},
	{"eventually_due", "pending_verification"},
	{"past_due"},
}

func drawUnix(t *rapid.T, label string) int64 {
	return defaultNow.Unix() + rapid.Int64Range(-90*24*3600, 90*24*3600).Draw(t, label)
}

// drawUnknown adds 0–2 unknown members to o (a member Stripe adds later).
func drawUnknown(t *rapid.T, label string, o map[string]any) {
	n := rapid.IntRange(0, 2).Draw(t, label+".unknown_members")
	for i := range n {
		v := rapid.SampledFrom([]any{
			map[string]any{"at": drawUnix(t, fmt.Sprintf("%s.unknown_%d.at", label, i))},
			"a <b> & c", []any{1.5, "x", nil, true}, 12345678901234,
		}).Draw(t, fmt.Sprintf("%s.unknown_%d", label, i))
		o[fmt.Sprintf("x_new_member_%d", i)] = v
	}
}

// list writes fields as a list, or, when empty, as [] or null or not at
// all (when omittable).
func list(t *rapid.T, label string, o map[string]any, name string, fields []string, omittable bool) {
	if len(fields) > 0 {
		o[name] = fields
		return
	}
	max := 1
	if omittable {
		max = 2
	}
	switch rapid.IntRange(0, max).Draw(t, label+"."+name+".empty_as") {
	case 0:
		o[name] = []string{}
	case 1:
		o[name] = nil
	}
}

// DrawV1Hash draws one v1 requirements hash as Stripe sends it; capability
// says whether it is a capability's (whose lists are never null).
func DrawV1Hash(t *rapid.T, label string, capability bool) map[string]any {
	o := map[string]any{}
	lists := map[string][]string{}
	pool := slices.Clone(fieldPool)
	n := rapid.IntRange(0, 4).Draw(t, label+".fields")
	var held []string
	for i := range n {
		j := rapid.IntRange(0, len(pool)-1).Draw(t, fmt.Sprintf("%s.field_%d", label, i))
		f := pool[j]
		pool = slices.Delete(pool, j, j+1)
		held = append(held, f)
		for _, l := range rapid.SampledFrom(listSets).Draw(t, fmt.Sprintf("%s.field_%d.lists", label, i)) {
			lists[l] = append(lists[l], f)
		}
	}
	for _, l := range []string{"currently_due", "eventually_due", "past_due", "pending_verification"} {
		list(t, label, o, l, lists[l], !capability)
	}
	if rapid.Bool().Draw(t, label+".has_deadline") {
		o["current_deadline"] = drawUnix(t, label+".current_deadline")
	} else if !capability || rapid.Bool().Draw(t, label+".deadline_null") {
		o["current_deadline"] = nil
	}
	reasons := accountReasons
	if capability {
		reasons = capabilityReasons
	}
	if rapid.Bool().Draw(t, label+".disabled") {
		o["disabled_reason"] = rapid.SampledFrom(reasons).Draw(t, label+".disabled_reason")
	} else {
		o["disabled_reason"] = nil
	}
	var errs []any
	for i := range rapid.IntRange(0, 2).Draw(t, label+".errors") {
		el := fmt.Sprintf("%s.error_%d", label, i)
		req := "error_only.field" // a field named only in errors
		if len(held) > 0 && rapid.Bool().Draw(t, el+".held") {
			req = rapid.SampledFrom(held).Draw(t, el+".requirement")
		}
		code := rapid.SampledFrom(errorCodes).Draw(t, el+".code")
		e := map[string]any{"code": code, "reason": "The information could not be verified.", "requirement": req}
		drawUnknown(t, el, e)
		errs = append(errs, e)
	}
	var alts []any
	for i := range rapid.IntRange(0, 2).Draw(t, label+".alternatives") {
		el := fmt.Sprintf("%s.alternative_%d", label, i)
		orig := []string{"alternative_only.field"} // a field named only in alternatives
		if len(held) > 0 && rapid.Bool().Draw(t, el+".held") {
			orig = []string{rapid.SampledFrom(held).Draw(t, el+".original")}
		}
		a := map[string]any{"alternative_fields_due": []string{"company.verification.document", fmt.Sprintf("alt.%d", i)}, "original_fields_due": orig}
		if rapid.Bool().Draw(t, el+".has_hint") {
			a["hint"] = "upload one of these instead"
		}
		alts = append(alts, a)
	}
	if len(errs) > 0 {
		o["errors"] = errs
	} else {
		list(t, label, o, "errors", nil, !capability)
	}
	if len(alts) > 0 {
		o["alternatives"] = alts
	} else {
		list(t, label, o, "alternatives", nil, true)
	}
	drawUnknown(t, label, o)
	return o
}

// DrawV1Account draws a v1 account object (an account.updated webhook's
// data.object) with both hashes and a capabilities map.
func DrawV1Account(t *rapid.T, label string) []byte {
	o := map[string]any{"object": "account", "id": "acct_1PgafTB7WZ01zgkW"}
	o["requirements"] = DrawV1Hash(t, label+".requirements", false)
	if rapid.Bool().Draw(t, label+".has_future") {
		o["future_requirements"] = DrawV1Hash(t, label+".future_requirements", false)
	}
	if rapid.Bool().Draw(t, label+".has_capabilities") {
		m := map[string]string{}
		for _, c := range payloadCaps[:rapid.IntRange(0, len(payloadCaps)).Draw(t, label+".capabilities")] {
			m[c] = rapid.SampledFrom([]string{"active", "inactive", "pending"}).Draw(t, label+".capabilities."+c)
		}
		o["capabilities"] = m
	}
	return mustJSON(o)
}

func drawV1CapabilityObject(t *rapid.T, label, id string) map[string]any {
	o := map[string]any{
		"object": "capability", "id": id, "account": "acct_1PgafTB7WZ01zgkW",
		"requested": true, "requested_at": drawUnix(t, label+".requested_at"),
		"status": rapid.SampledFrom(capStatuses).Draw(t, label+".status"),
	}
	o["requirements"] = DrawV1Hash(t, label+".requirements", true)
	o["future_requirements"] = DrawV1Hash(t, label+".future_requirements", true)
	return o
}

// DrawV1Capability draws a v1 capability object (capability.updated's
// data.object), with its own deadline and disabled_reason.
func DrawV1Capability(t *rapid.T, label string) []byte {
	return mustJSON(drawV1CapabilityObject(t, label, rapid.SampledFrom(payloadCaps).Draw(t, label+".id")))
}

// DrawV1CapabilityList draws a v1 list of capability objects, each with
// its own deadline.
func DrawV1CapabilityList(t *rapid.T, label string) []byte {
	n := rapid.IntRange(0, len(payloadCaps)).Draw(t, label+".capabilities")
	data := []any{}
	for i, c := range payloadCaps[:n] {
		data = append(data, drawV1CapabilityObject(t, fmt.Sprintf("%s.data_%d", label, i), c))
	}
	return mustJSON(map[string]any{"object": "list", "data": data, "has_more": false, "url": "/v1/accounts/acct_1PgafTB7WZ01zgkW/capabilities"})
}

// V1Payload returns a generator of v1 payloads DecodeV1 accepts: an
// account, a capability or a list of capabilities.
func V1Payload() *rapid.Generator[[]byte] {
	return rapid.Custom(func(t *rapid.T) []byte {
		switch rapid.IntRange(0, 2).Draw(t, "shape") {
		case 0:
			return DrawV1Account(t, "account")
		case 1:
			return DrawV1Capability(t, "capability")
		}
		return DrawV1CapabilityList(t, "list")
	})
}

var v2Statuses = []string{"currently_due", "eventually_due", "past_due"}

func v2Time(t *rapid.T, label string) string {
	return time.Unix(drawUnix(t, label), 0).UTC().Format("2006-01-02T15:04:05.000Z")
}

func drawV2Hash(t *rapid.T, label string, future bool) map[string]any {
	o := map[string]any{}
	var entries []any
	pool := slices.Clone(fieldPool)
	for i := range rapid.IntRange(0, 4).Draw(t, label+".entries") {
		el := fmt.Sprintf("%s.entry_%d", label, i)
		j := rapid.IntRange(0, len(pool)-1).Draw(t, el+".field")
		f := pool[j]
		pool = slices.Delete(pool, j, j+1)
		e := map[string]any{
			"awaiting_action_from": rapid.SampledFrom([]string{"user", "stripe"}).Draw(t, el+".awaiting"),
			"description":          f,
			"minimum_deadline":     map[string]any{"status": rapid.SampledFrom(v2Statuses).Draw(t, el+".status")},
			"requested_reasons":    []any{map[string]any{"code": rapid.SampledFrom([]string{"routine_onboarding", "routine_verification", "a_reason_stripe_adds_later"}).Draw(t, el+".reason")}},
		}
		errs := []any{}
		if rapid.Bool().Draw(t, el+".has_error") {
			er := map[string]any{"code": rapid.SampledFrom(errorCodes).Draw(t, el+".error_code"), "description": "Example text."}
			drawUnknown(t, el+".error", er)
			errs = append(errs, er)
		}
		e["errors"] = errs
		var rs []any
		for k, c := range payloadCaps {
			if rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("%s.restricts_%d", el, k)) == 2 {
				r := map[string]any{"capability": c, "configuration": rapid.SampledFrom([]string{"merchant", "recipient"}).Draw(t, fmt.Sprintf("%s.restricts_%d.configuration", el, k)),
					"deadline": map[string]any{"status": rapid.SampledFrom(v2Statuses).Draw(t, fmt.Sprintf("%s.restricts_%d.status", el, k))}}
				drawUnknown(t, fmt.Sprintf("%s.restricts_%d", el, k), r)
				rs = append(rs, r)
			}
		}
		impact := map[string]any{}
		if len(rs) > 0 || rapid.Bool().Draw(t, el+".impact_list") {
			impact["restricts_capabilities"] = append([]any{}, rs...)
		}
		e["impact"] = impact
		if rapid.Bool().Draw(t, el+".has_reference") {
			e["reference"] = map[string]any{"type": "person", "resource": fmt.Sprintf("person_%d", i)}
		}
		drawUnknown(t, el, e)
		entries = append(entries, e)
	}
	if entries == nil {
		entries = []any{}
	}
	o["entries"] = entries
	summary := map[string]any{}
	if len(entries) > 0 && rapid.Bool().Draw(t, label+".has_minimum") {
		md := map[string]any{"status": rapid.SampledFrom(v2Statuses).Draw(t, label+".summary_status")}
		if rapid.Bool().Draw(t, label+".has_time") {
			md["time"] = v2Time(t, label+".summary_time")
		}
		summary["minimum_deadline"] = md
	}
	o["summary"] = summary
	if future && rapid.Bool().Draw(t, label+".has_transition") {
		o["minimum_transition_date"] = v2Time(t, label+".transition")
	}
	drawUnknown(t, label, o)
	return o
}

// DrawV2Account draws an Accounts v2 account with requirements and
// (maybe) future_requirements included.
func DrawV2Account(t *rapid.T, label string) []byte {
	o := map[string]any{"object": "v2.core.account", "id": "acct_EXAMPLE_v2_0001"}
	o["requirements"] = drawV2Hash(t, label+".requirements", false)
	if rapid.Bool().Draw(t, label+".has_future") {
		o["future_requirements"] = drawV2Hash(t, label+".future_requirements", true)
	}
	return mustJSON(o)
}

// V2Payload returns a generator of Accounts v2 payloads DecodeV2 accepts.
func V2Payload() *rapid.Generator[[]byte] {
	return rapid.Custom(func(t *rapid.T) []byte { return DrawV2Account(t, "v2") })
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("requirementstest: " + err.Error()) // a bug in this generator
	}
	return b
}

// NormalizeJSON returns data in a canonical form for comparing a payload
// with its re-encoding up to what the encoders normalise: members whose
// value is null, [] or {} are dropped (absent, null and empty are the same
// to Stripe's clients), arrays are sorted (list order carries no meaning
// in requirements), object members are sorted (by encoding/json). It
// returns an error if data is not JSON.
func NormalizeJSON(data []byte) ([]byte, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(normalize(v))
}

func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, m := range x {
			m = normalize(m)
			if empty(m) {
				delete(x, k)
				continue
			}
			x[k] = m
		}
		return x
	case []any:
		keys := make([]string, len(x))
		for i, m := range x {
			x[i] = normalize(m)
			b, _ := json.Marshal(x[i])
			keys[i] = string(b)
		}
		idx := make([]int, len(x))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			switch {
			case keys[a] < keys[b]:
				return -1
			case keys[a] > keys[b]:
				return 1
			}
			return 0
		})
		out := make([]any, len(x))
		for i, j := range idx {
			out[i] = x[j]
		}
		return out
	}
	return v
}

func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}
