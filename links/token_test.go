package links_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/connectkit/connectkit/links"
)

func TestToken_ShapeAndRoundTrip(t *testing.T) {
	tok, err := links.NewToken(seeded(3))
	if err != nil {
		t.Fatal(err)
	}
	s := tok.Reveal()
	if !strings.HasPrefix(s, links.TokenPrefix) || len(s) != len(links.TokenPrefix)+43 {
		t.Fatalf("token %q: want prefix and 43 base64url characters (256 bits)", s)
	}
	back, err := links.ParseToken(s)
	if err != nil || back.Hash() != tok.Hash() || !back.Hash().Equal(tok.Hash()) {
		t.Fatalf("ParseToken(Reveal()) = %v, %v", back, err)
	}
	other, _ := links.NewToken(seeded(4))
	if other.Hash().Equal(tok.Hash()) {
		t.Fatal("two seeds gave one token")
	}
}

func TestToken_NeverPrinted(t *testing.T) {
	tok, _ := links.NewToken(seeded(3))
	secret := tok.Reveal()[len(links.TokenPrefix):]
	wrapped := struct{ T links.Token }{tok}
	outs := []string{
		tok.String(), tok.GoString(),
		fmt.Sprint(tok), fmt.Sprintf("%v %+v %#v %s %q %x %d", tok, tok, tok, tok, tok, tok, tok),
		fmt.Sprintf("%v %+v %#v", wrapped, wrapped, wrapped),
		fmt.Errorf("wrapped: %v", tok).Error(),
	}
	for _, out := range outs {
		if strings.Contains(out, secret) {
			t.Fatalf("token leaked in %q", out)
		}
	}
	if b, err := json.Marshal(wrapped); err == nil || strings.Contains(string(b), secret) {
		t.Fatalf("json.Marshal leaked or did not refuse: %s, %v", b, err)
	}
	if _, err := links.ParseToken(tok.Reveal() + "x"); err == nil || strings.Contains(err.Error(), secret) {
		t.Fatalf("ParseToken error leaks the input: %v", err)
	}
}

func TestToken_ShortReadIsAnError(t *testing.T) {
	_, err := links.NewToken(iotest.ErrReader(errors.New("entropy exhausted")))
	if !errors.Is(err, links.ErrRandom) {
		t.Fatalf("NewToken on a failing reader: %v", err)
	}
	_, err = links.NewToken(strings.NewReader("short"))
	if !errors.Is(err, links.ErrRandom) {
		t.Fatalf("NewToken on a short reader: %v", err)
	}
}

func TestToken_ParseRejects(t *testing.T) {
	good, _ := links.NewToken(seeded(5))
	g := good.Reveal()
	for _, in := range []string{
		"", "lnk_", g[:len(g)-1], g + "A", "xyz_" + g[4:],
		g[:len(g)-1] + "=", g[:len(g)-1] + "+", g[:len(g)-1] + "/",
		// The last character of 43 base64 characters carries 2 padding bits
		// that must be zero; a non-canonical encoding is refused.
		g[:len(g)-1] + "B",
	} {
		if in == g {
			continue
		}
		if _, err := links.ParseToken(in); !errors.Is(err, links.ErrMalformedToken) {
			t.Errorf("ParseToken(%q) = %v, want ErrMalformedToken", in, err)
		}
	}
	if _, err := links.ParseToken("lnk_" + strings.Repeat("!", 43)); !errors.Is(err, links.ErrMalformedToken) {
		t.Fatalf("bad alphabet: %v", err)
	}
}

func TestTokenHash_TextRoundTrip(t *testing.T) {
	tok, _ := links.NewToken(seeded(6))
	h := tok.Hash()
	b, err := h.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	var back links.TokenHash
	if err := back.UnmarshalText(b); err != nil || back != h {
		t.Fatalf("round trip: %v, %v", back, err)
	}
	if err := back.UnmarshalText([]byte("zz")); err == nil {
		t.Fatal("UnmarshalText accepted garbage")
	}
	if (links.Token{}).Hash() != (links.TokenHash{}) || !(links.TokenHash{}).IsZero() {
		t.Fatal("the zero token must hash to the zero hash")
	}
}

func TestReasons_EveryReasonHasCodeRuleSentenceAndSentinel(t *testing.T) {
	if got := links.Reason(0).Code(); got != "none" {
		t.Errorf("zero Reason's code = %q, want none (a Redemption that proceeds has no reason)", got)
	}
	codes := map[string]bool{"none": true}
	for _, r := range links.AllReasons() {
		if r.Code() == "" || codes[r.Code()] {
			t.Errorf("%d: empty or duplicate code %q", r, r.Code())
		}
		codes[r.Code()] = true
		if r.Rule() == "" || !strings.HasSuffix(r.String(), "("+r.Rule()+")") || r.Err() == nil {
			t.Errorf("%v: rule %q, sentence %q, err %v", r.Code(), r.Rule(), r.String(), r.Err())
		}
	}
	all := links.ReasonsOf(links.AllReasons()...)
	if all.Len() != len(links.AllReasons()) || len(all.Slice()) != all.Len() {
		t.Fatalf("bitset holds %d of %d reasons", all.Len(), len(links.AllReasons()))
	}
}
