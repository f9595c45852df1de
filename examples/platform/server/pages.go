package server

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"strings"
)

// pages are the HTML pages: escaped by html/template, one landmark and one
// heading each, labelled controls, no script.
var pages = template.Must(template.New("").Parse(`
{{define "top"}}<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.}} · Example Platform</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}
button{font:inherit;padding:.6rem 1.2rem}:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}</style>
</head>
<body>
<main>
<h1>{{.}}</h1>
{{end}}
{{define "bottom"}}</main>
</body>
</html>
{{end}}

{{define "home"}}{{template "top" "Example Platform"}}
<p>This is connectkit's reference platform server. Its routes are listed in the
documentation of package server; the command that started it printed how to drive it.</p>
{{template "bottom"}}{{end}}

{{define "landing"}}{{template "top" "Set up your account"}}
<p>You were sent a link to finish setting up your account.
Opening this page does not use the link up: continue when you are ready.</p>
<form method="post">
<button type="submit">Continue to account setup</button>
</form>
{{template "bottom"}}{{end}}

{{define "unknown"}}{{template "top" "This link does not work"}}
<p>We do not know this link. Ask the platform for a new one.</p>
{{template "bottom"}}{{end}}

{{define "onboarding"}}{{template "top" "Tell us about your business"}}
{{if .Fields}}<p>We still need:</p>
<ul>{{range .Fields}}<li><code>{{.}}</code></li>{{end}}</ul>
{{else}}<p>Nothing is outstanding.</p>{{end}}
<form method="post" action="/onboarding">
<button type="submit">Submit details</button>
</form>
<p><a href="/return">Save for later</a></p>
{{template "bottom"}}{{end}}

{{define "return"}}{{if .Complete}}{{template "top" "Your account is set up"}}
<p>Nothing is outstanding.</p>
{{else}}{{template "top" "Your account is not finished yet"}}
{{if .Checked}}<p>Still outstanding:</p>
<ul>{{range .Outstanding}}<li><code>{{.}}</code></li>{{end}}</ul>{{else}}<p>We could not check your requirements.</p>{{end}}
{{end}}{{template "bottom"}}{{end}}

{{define "remediation"}}{{template "top" "Update your account"}}
<p>This link opens: <strong>{{.Destination.Kind}}</strong>{{if .Destination.FellBack}} (the platform has no banner page){{end}}.</p>
{{if .Destination.URL}}<p><a href="{{.Destination.URL}}">Continue</a></p>{{end}}
{{template "bottom"}}{{end}}
`))

// page renders template name with data. Rendering into a buffer first
// means a template error is a 500, not half a page.
func (s *Server) page(w http.ResponseWriter, status int, name string, data any) {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = b.WriteTo(w)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// csvWriter writes CSV rows, neutralising cells a spreadsheet would run as
// a formula, and keeps the first error.
type csvWriter struct {
	w   *csv.Writer
	err error
}

func newCSV(w io.Writer) *csvWriter { return &csvWriter{w: csv.NewWriter(w)} }

func (c *csvWriter) row(cells ...string) {
	if c.err != nil {
		return
	}
	for i, v := range cells {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			cells[i] = "'" + v
		}
	}
	if err := c.w.Write(cells); err != nil {
		c.err = err
		return
	}
	c.w.Flush()
	c.err = c.w.Error()
}
