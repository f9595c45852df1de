package links_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/connectkit/connectkit/internal/fuzzbudget"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/roles"
)

// The budgets below are the largest cost measured over the seeds and
// inputs up to 1 MB times about four, so that a fuzzer finds amplification
// (work that grows faster than the input), not noise.
var (
	// ParseToken reads a fixed-size token: its cost does not grow with
	// the input (measured: at most 2 allocations, 96 bytes).
	parseTokenBound = fuzzbudget.Budget{Allocs: 8, Bytes: 512}
	// CheckURL refuses anything over MaxURLLen before parsing; below
	// it, url.Parse copies the input a few times (measured: at most 4
	// allocations, 224 bytes, on inputs up to 1 MB).
	checkURLBound = fuzzbudget.Budget{Allocs: 32, Bytes: 1024, BytesPerByte: 8}
	// Decision.UnmarshalJSON refuses documents over 64 KiB before
	// decoding; below that encoding/json is linear (measured: at most 376
	// bytes for an empty document, 17 bytes per input byte for deep
	// nesting, 0.18 allocations per byte for long reason lists).
	decisionJSONBound = fuzzbudget.Budget{Allocs: 64, AllocsPerByte: 1, Bytes: 2048, BytesPerByte: 72}
)

func FuzzValidateURL(f *testing.F) {
	for _, s := range []string{
		"", "https://a.example/r", "http://localhost:8080/x?y=1#z", "HTTPS://A.EXAMPLE",
		"/relative", "ftp://a.example", "https://", "https://[::1]:443/", "http://[::1", "mailto:x@y",
		"https://a.example/a b", "https://user:pass@a.example/", "https://a.example:99999/",
		"javascript:alert(1)", "\x00", strings.Repeat("a", links.MaxURLLen+1),
		"https://a.example/" + strings.Repeat("%41", (links.MaxURLLen-19)/3),
		"https://" + strings.Repeat("a.", (links.MaxURLLen-8)/2),
		"https://a.example/?" + strings.Repeat("a=1&", (links.MaxURLLen-19)/4),
		strings.Repeat("https://a.example/", 1<<16),
	} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, raw string, live bool) {
		p := links.CheckURL(raw, live)
		err := links.ValidateURL(links.ReturnURL, raw, live)
		if (p == 0) != (err == nil) {
			t.Fatalf("CheckURL = %v but ValidateURL = %v", p, err)
		}
		if p == 0 {
			low := strings.ToLower(raw)
			if !strings.HasPrefix(low, "https://") && !(strings.HasPrefix(low, "http://") && !live) {
				t.Fatalf("accepted %q in live=%v", raw, live)
			}
		}
		if live && p == 0 && !strings.HasPrefix(strings.ToLower(raw), "https://") {
			t.Fatalf("live mode accepted %q", raw)
		}
		if !live && p == links.URLInsecure {
			t.Fatalf("test mode refused %q as insecure", raw)
		}
		checkURLBound.Check(t, "CheckURL", len(raw), func() { _ = links.ValidateURL(links.ReturnURL, raw, live) })
	})
}

func FuzzParseToken(f *testing.F) {
	good, _ := links.NewToken(seeded(8))
	for _, s := range []string{"", "lnk_", good.Reveal(), good.Reveal()[:20], good.Reveal() + "=",
		"lnk_" + strings.Repeat("_", 43), strings.Repeat(good.Reveal(), 1<<12)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := links.ParseToken(s)
		parseTokenBound.Check(t, "ParseToken", len(s), func() { _, _ = links.ParseToken(s) })
		if err != nil {
			if !tok.IsZero() {
				t.Fatal("a refused parse returned a token")
			}
			if len(s) > 8 && strings.Contains(err.Error(), s) {
				t.Fatal("the error repeats the input")
			}
			return
		}
		if tok.Reveal() != s || tok.Hash().IsZero() {
			t.Fatalf("ParseToken(%q) = %q", s, tok.Reveal())
		}
		again, err := links.ParseToken(tok.Reveal())
		if err != nil || again.Hash() != tok.Hash() {
			t.Fatal("a parsed token does not parse again")
		}
	})
}

// FuzzDecisionJSON reads arbitrary documents as a Decision: no panic, a
// budget proportional to the input, and whatever is accepted encodes and
// reads back as the same decision.
func FuzzDecisionJSON(f *testing.F) {
	for _, d := range []links.Decision{
		links.CanGenerateRemediationLink(roles.Default(), roles.NewSet(roles.TransferAnalyst), custom()),
		links.CanCreateAccountLink(standard(), links.AccountLinkParams{Type: links.TypeUpdate}),
		{Op: links.OpRedeemAccountLink, Allowed: true},
	} {
		b, err := json.Marshal(d)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"allowed":false,"action":"refresh_account_link","reasons":["refresh_limit_exceeded"],"next_possible_at":"2026-03-01T13:00:00Z"}`))
	f.Add([]byte(`{"allowed":false,"action":"redeem_account_link","reasons":[` + strings.Repeat(`"link_expired",`, 100) + `"link_expired"]}`))
	f.Add([]byte(`{"reasons":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`))
	f.Add([]byte(`{"action":"` + strings.Repeat("x", 70000) + `"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var d links.Decision
		err := json.Unmarshal(b, &d)
		decisionJSONBound.Check(t, "Decision.UnmarshalJSON", len(b), func() {
			var d links.Decision
			_ = d.UnmarshalJSON(b)
		})
		if err != nil {
			return
		}
		again, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("an accepted decision %+v does not encode: %v", d, err)
		}
		var back links.Decision
		if err := json.Unmarshal(again, &back); err != nil || !back.Equal(d) {
			t.Fatalf("%s read back as %+v, %v; want %+v", again, back, err, d)
		}
	})
}
