// Package servertest starts the reference platform server for tests that
// drive it from outside: over PostgreSQL in examples/pgstore and in a
// headless browser in examples/platform/browsertest. It imports testing,
// like the library's …test kits, and is for tests only.
package servertest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/examples/platform/server"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/relink"
)

// Start seeds the demo account into the stores, serves a platform server
// over them on a loopback httptest server that is closed when the test
// ends, and returns its base URL.
func Start(t testing.TB, accts account.Store, lnks links.Store, rl relink.Store) string {
	t.Helper()
	if err := server.SeedDemo(context.Background(), accts, rl); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	s, err := server.New(server.Config{BaseURL: base, Accounts: accts, Links: lnks, Relink: rl})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = s
	ts.Start()
	t.Cleanup(ts.Close)
	return base
}

// CreateDemoLink asks the server at base, as the demo Administrator, for an
// account link for server.DemoAccount and returns the URL to send.
func CreateDemoLink(t testing.TB, base string) string {
	t.Helper()
	req, err := http.NewRequest("POST", base+"/accounts/"+string(server.DemoAccount)+"/account-links", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-User-ID", "usr_ada")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ URL string }
	err = json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusCreated || out.URL == "" {
		t.Fatalf("create an account link: %d, %v", resp.StatusCode, err)
	}
	return out.URL
}
