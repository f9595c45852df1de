package pgstore_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/connectkit/connectkit/examples/pgstore"
	"github.com/connectkit/connectkit/examples/platform/server"
)

// TestPlatform_L1_OnboardingOverPostgreSQL drives the reference platform
// server (as cmd/platform wires it) over this adapter: create a link, a
// previewer's GET, the person's POST lands on the collection page, a
// second POST is sent to the refresh URL.
func TestPlatform_L1_OnboardingOverPostgreSQL(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	accts, rl := pgstore.NewAccountStore(db), pgstore.NewRelinkStore(db)
	if err := server.SeedDemo(ctx, accts, rl); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	s, err := server.New(server.Config{BaseURL: base, Accounts: accts, Links: pgstore.NewLinkStore(db), Relink: rl})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = s
	ts.Start()
	defer ts.Close()

	req, _ := http.NewRequest("POST", base+"/accounts/"+string(server.DemoAccount)+"/account-links", nil)
	req.Header.Set("X-User-ID", "usr_ada")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ URL string }
	err = json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %v", resp.StatusCode, err)
	}
	if resp, err := http.Get(out.URL); err != nil || resp.StatusCode != 200 {
		t.Fatalf("preview GET: %v", err)
	} else {
		resp.Body.Close()
	}
	jar, _ := cookiejar.New(nil)
	person := &http.Client{Jar: jar}
	resp, err = person.PostForm(out.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/onboarding" {
		t.Fatalf("the person's POST landed on %v (%d)", resp.Request.URL, resp.StatusCode)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.PostForm(out.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, base+"/refresh?refresh_key=lrf_") {
		t.Fatalf("second POST: %d to %q", resp.StatusCode, loc)
	}
}
