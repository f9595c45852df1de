package pgstore_test

import (
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"github.com/connectkit/connectkit/examples/pgstore"
	"github.com/connectkit/connectkit/examples/platform/server/servertest"
)

// TestPlatform_L1_OnboardingOverPostgreSQL drives the reference platform
// server (as cmd/platform wires it) over this adapter: create a link, a
// previewer's GET, the person's POST lands on the collection page, a
// second POST is sent to the refresh URL.
func TestPlatform_L1_OnboardingOverPostgreSQL(t *testing.T) {
	db := newDB(t)
	base := servertest.Start(t, pgstore.NewAccountStore(db), pgstore.NewLinkStore(db), pgstore.NewRelinkStore(db))
	url := servertest.CreateDemoLink(t, base)
	if resp, err := http.Get(url); err != nil || resp.StatusCode != 200 {
		t.Fatalf("preview GET: %v", err)
	} else {
		resp.Body.Close()
	}
	jar, _ := cookiejar.New(nil)
	person := &http.Client{Jar: jar}
	resp, err := person.PostForm(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/onboarding" {
		t.Fatalf("the person's POST landed on %v (%d)", resp.Request.URL, resp.StatusCode)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.PostForm(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, base+"/refresh?refresh_key=lrf_") {
		t.Fatalf("second POST: %d to %q", resp.StatusCode, loc)
	}
}
