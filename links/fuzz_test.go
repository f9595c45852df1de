package links_test

import (
	"strings"
	"testing"

	"github.com/connectkit/connectkit/links"
)

func FuzzValidateURL(f *testing.F) {
	for _, s := range []string{
		"", "https://a.example/r", "http://localhost:8080/x?y=1#z", "HTTPS://A.EXAMPLE",
		"/relative", "ftp://a.example", "https://", "https://[::1]:443/", "http://[::1", "mailto:x@y",
		"https://a.example/a b", "https://user:pass@a.example/", "https://a.example:99999/",
		"javascript:alert(1)", "\x00", strings.Repeat("a", links.MaxURLLength+1),
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
	})
}

func FuzzParseToken(f *testing.F) {
	good, _ := links.NewToken(seeded(8))
	for _, s := range []string{"", "lnk_", good.Reveal(), good.Reveal()[:20], good.Reveal() + "=", "lnk_" + strings.Repeat("_", 43)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := links.ParseToken(s)
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
