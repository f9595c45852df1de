package links_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/links"
)

// holder is a caller's struct keeping a Token in an unexported field, where
// fmt cannot call the Token's methods and prints by reflection.
type holder struct {
	name string
	tok  links.Token
	row  links.IssuedAccountLink
}

// TestToken_L1_NeverPrintedByReflection pins that a token's secret is out of
// reach of every reflection-based printer: fmt verbs on the token, on a
// struct holding it in an exported or unexported field, slog's JSON and text
// handlers, and cmp.Diff.
func TestToken_L1_NeverPrintedByReflection(t *testing.T) {
	tok, _ := links.NewToken(seeded(3))
	other, _ := links.NewToken(seeded(4))
	secret := tok.Reveal()[len(links.TokenPrefix):]
	h := holder{name: "x", tok: tok, row: links.IssuedAccountLink{Token: tok}}
	exported := struct{ T links.Token }{tok}
	outs := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%q", "%x"} {
		outs["token "+verb] = fmt.Sprintf(verb, tok)
		outs["unexported "+verb] = fmt.Sprintf(verb, h)
		outs["pointer to unexported "+verb] = fmt.Sprintf(verb, &h)
		outs["exported "+verb] = fmt.Sprintf(verb, exported)
		outs["slice "+verb] = fmt.Sprintf(verb, []holder{h})
	}
	for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var b bytes.Buffer
		slog.New(newHandler(&b)).Info("issued", "tok", tok, "holder", h, "ptr", &h, "exported", exported, "row", h.row)
		outs["slog "+name] = b.String()
	}
	outs["cmp.Diff tokens"] = cmp.Diff(tok, other)
	outs["cmp.Diff holders"] = cmp.Diff(h, holder{tok: other}, cmp.AllowUnexported(holder{}))
	outs["cmp.Diff exported"] = cmp.Diff(exported, struct{ T links.Token }{other})
	for name, out := range outs {
		if strings.Contains(out, secret) {
			t.Errorf("%s leaked the token: %s", name, out)
		}
	}
	if cmp.Equal(tok, other) || !cmp.Equal(tok, tok) {
		t.Error("cmp.Equal does not compare tokens by value")
	}
}
