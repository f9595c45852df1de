package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/examples/platform/server"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/links/linkstest"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

// t0 is years away from the wall clock, so that anything computed with
// time.Until or time.Now instead of the fake clock is visibly wrong.
var t0 = time.Date(2031, 5, 4, 9, 0, 0, 0, time.UTC)

type env struct {
	t     *testing.T
	url   string
	clock *clocktest.Fake
	srv   *server.Server
	accts *account.MemoryStore
}

// start serves a Server over in-memory stores (links over ls when not
// nil) with the demo seeded, on a fake clock at t0.
func start(t *testing.T, ls links.Store) *env {
	t.Helper()
	ctx := context.Background()
	if ls == nil {
		ls = links.NewMemoryStore()
	}
	accts := account.NewMemoryStore()
	rl := relink.NewMemoryStore()
	if err := server.SeedDemo(ctx, accts, rl); err != nil {
		t.Fatal(err)
	}
	c := clocktest.New(t0)
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	s, err := server.New(server.Config{BaseURL: base, Accounts: accts, Links: ls, Relink: rl, VerifyWebhook: server.AcceptUnverified,
		Clock: c, Rand: rand.NewChaCha8([32]byte{'h', 't', 't', 'p'}), ExportAccounts: []account.ID{server.DemoAccount, "acct_missing"}})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = s
	ts.Start()
	t.Cleanup(ts.Close)
	return &env{t: t, url: base, clock: c, srv: s, accts: accts}
}

// browser is a client with a cookie jar that follows redirects.
func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

// noFollow is a client that reports redirects instead of following them.
func noFollow() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type reply struct {
	status int
	header http.Header
	body   string
	url    *url.URL // the final URL, after redirects
}

func do(t *testing.T, c *http.Client, method, u string, hdr map[string]string, form url.Values) reply {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: string(b), url: resp.Request.URL}
}

var (
	ada = map[string]string{"X-User-ID": "usr_ada", "X-User-Roles": "admin"}
	sam = map[string]string{"X-User-ID": "usr_sam", "X-User-Roles": "support_specialist"}
	vic = map[string]string{"X-User-ID": "usr_vic", "X-User-Roles": "view_only"}
)

// createLink makes an account link through the API and returns its URL.
func (e *env) createLink() string {
	e.t.Helper()
	r := do(e.t, noFollow(), "POST", e.url+"/accounts/"+string(server.DemoAccount)+"/account-links", ada, url.Values{})
	var out struct{ URL string }
	if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &out) != nil || !strings.HasPrefix(out.URL, e.url+"/l/lnk_") {
		e.t.Fatalf("create account link: %d %s", r.status, r.body)
	}
	return out.URL
}

// problem decodes a problem+json answer and checks its status.
func problem(t *testing.T, r reply, status int) server.Problem {
	t.Helper()
	var p server.Problem
	if r.status != status || r.header.Get("Content-Type") != "application/problem+json" || json.Unmarshal([]byte(r.body), &p) != nil || p.Status != status {
		t.Fatalf("answer %d (%s) %s, want a problem with status %d", r.status, r.header.Get("Content-Type"), r.body, status)
	}
	return p
}

func TestPlatform_L1_Q9_OnboardingWithARefreshInTheMiddle(t *testing.T) {
	e := start(t, nil)
	link := e.createLink()
	b := browser(t)
	if r := do(t, b, "GET", link, nil, nil); r.status != 200 || !strings.Contains(r.body, `<button type="submit">`) {
		t.Fatalf("landing page: %d %s", r.status, r.body)
	}
	e.clock.Advance(links.DefaultAccountLinkTTL) // the person comes back too late
	r := do(t, b, "POST", link, nil, url.Values{})
	if r.status != 200 || r.url.Path == "/onboarding" || !strings.HasPrefix(r.url.Path, "/l/lnk_") || r.url.String() == link {
		t.Fatalf("expired link: landed on %v (%d), want a new link's landing page", r.url, r.status)
	}
	fresh := r.url.String()
	r = do(t, b, "POST", fresh, nil, url.Values{})
	if r.status != 200 || r.url.Path != "/onboarding" || !strings.Contains(r.body, "individual.dob.day") {
		t.Fatalf("refreshed link: landed on %v (%d): %s", r.url, r.status, r.body)
	}
	// Save for later: still outstanding (Q9).
	r = do(t, b, "GET", e.url+"/return", nil, nil)
	if r.status != 200 || !strings.Contains(r.body, "not finished") || !strings.Contains(r.body, "external_account") {
		t.Fatalf("return after saving for later: %d %s", r.status, r.body)
	}
	// Submit: the demo meets the requirements; the return page says so.
	r = do(t, b, "POST", e.url+"/onboarding", nil, url.Values{})
	if r.status != 200 || r.url.Path != "/return" || !strings.Contains(r.body, "Your account is set up") {
		t.Fatalf("return after submitting: %v %d %s", r.url, r.status, r.body)
	}
}

func TestPlatform_L1_PreviewerGetThenPersonPostProceeds(t *testing.T) {
	e := start(t, nil)
	link := e.createLink()
	for range 3 { // a chat client, a mail scanner, a second preview
		if r := do(t, &http.Client{}, "GET", link, nil, nil); r.status != 200 {
			t.Fatalf("preview: %d", r.status)
		}
	}
	if r := do(t, browser(t), "POST", link, nil, url.Values{}); r.status != 200 || r.url.Path != "/onboarding" {
		t.Fatalf("the person's POST after previews landed on %v (%d), want /onboarding", r.url, r.status)
	}
}

func TestPlatform_L1_SecondPostRedirectsToRefresh(t *testing.T) {
	e := start(t, nil)
	link := e.createLink()
	tok := strings.TrimPrefix(link, e.url+"/l/")
	if r := do(t, noFollow(), "POST", link, nil, url.Values{}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/onboarding" {
		t.Fatalf("first POST: %d to %q", r.status, r.header.Get("Location"))
	}
	r := do(t, noFollow(), "POST", link, nil, url.Values{})
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, e.url+"/refresh?refresh_key=lrf_") || strings.Contains(loc, tok) {
		t.Fatalf("second POST: %d to %q, want the refresh URL with a refresh key and not the token", r.status, loc)
	}
	// Following it makes a new link of the same chain.
	r = do(t, noFollow(), "GET", loc, nil, nil)
	if next := r.header.Get("Location"); r.status != http.StatusSeeOther || !strings.HasPrefix(next, e.url+"/l/lnk_") || next == link {
		t.Fatalf("refresh: %d to %q", r.status, next)
	}
}

func TestPlatform_L1_RefreshBoundAnswers429WithRetryAfter(t *testing.T) {
	e := start(t, nil)
	link := e.createLink()
	e.clock.Advance(17 * time.Minute)
	// spent redeems link and returns the refresh URL a second visit is
	// sent to (only a spent or expired link refreshes).
	spent := func(link string) string {
		t.Helper()
		do(t, noFollow(), "POST", link, nil, url.Values{})
		r := do(t, noFollow(), "POST", link, nil, url.Values{})
		if loc := r.header.Get("Location"); r.status == http.StatusSeeOther && strings.HasPrefix(loc, e.url+"/refresh?") {
			return loc
		}
		t.Fatalf("second visit: %d to %q", r.status, r.header.Get("Location"))
		return ""
	}
	for i := range links.DefaultRefreshLimit {
		r := do(t, noFollow(), "GET", spent(link), nil, nil)
		if r.status != http.StatusSeeOther {
			t.Fatalf("refresh %d: %d %s", i+1, r.status, r.body)
		}
		link = r.header.Get("Location")
	}
	tok, _ := links.ParseToken(strings.TrimPrefix(link, e.url+"/l/"))
	r := do(t, noFollow(), "GET", spent(link), nil, nil)
	p := problem(t, r, http.StatusTooManyRequests)
	want := int(links.DefaultRefreshWindow / time.Second)
	if got := r.header.Get("Retry-After"); got != "3600" || want != 3600 {
		t.Fatalf("Retry-After %q, want %d (the window, from the service's clock)", got, want)
	}
	if p.Kind != errkind.RateLimited || !strings.Contains(string(p.Decision), `"code":"refresh_limit_exceeded"`) || !strings.Contains(string(p.Decision), `"next_possible_at":"2031-05-04T10:17:00Z"`) {
		t.Fatalf("problem %+v, decision %s", p, p.Decision)
	}
	if strings.Contains(r.body, tok.RefreshKey()) || strings.Contains(r.body, tok.Reveal()) {
		t.Fatal("the problem repeats the key")
	}
}

// TestPlatform_L1_RefreshKeyOfALiveLinkIsRefused: the refresh key is the
// token with another prefix, so whoever holds a live link's URL can derive
// it; /refresh then refuses (link_still_valid, 422) and mints nothing, and
// the link still works for the person.
func TestPlatform_L1_RefreshKeyOfALiveLinkIsRefused(t *testing.T) {
	e := start(t, nil)
	link := e.createLink()
	tok, err := links.ParseToken(strings.TrimPrefix(link, e.url+"/l/"))
	if err != nil {
		t.Fatal(err)
	}
	r := do(t, noFollow(), "GET", e.url+"/refresh?refresh_key="+tok.RefreshKey(), nil, nil)
	p := problem(t, r, http.StatusUnprocessableEntity)
	if p.Kind != errkind.NotEligible || !strings.Contains(string(p.Decision), `"code":"link_still_valid"`) || r.header.Get("Location") != "" {
		t.Fatalf("refresh with a live link's key: %s", r.body)
	}
	if strings.Contains(r.body, tok.RefreshKey()) || strings.Contains(r.body, tok.Reveal()) {
		t.Fatal("the problem repeats the key")
	}
	if r := do(t, browser(t), "POST", link, nil, url.Values{}); r.status != 200 || r.url.Path != "/onboarding" {
		t.Fatalf("the person's POST after the refused refresh landed on %v (%d), want /onboarding", r.url, r.status)
	}
}

func TestPlatform_K3_Relink48HourRefusalRetryAfterFromTheFakeClock(t *testing.T) {
	e := start(t, nil)
	u := e.url + "/relink/accounts/" + string(server.DemoFCAccount) + "/requests"
	ask := url.Values{"method": {"hosted_dashboard"}}
	r := do(t, noFollow(), "POST", u, ada, ask)
	var req struct{ ID string }
	if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &req) != nil || req.ID == "" {
		t.Fatalf("first request: %d %s", r.status, r.body)
	}
	for _, tt := range []struct {
		after time.Duration
		want  string
	}{
		{0, "172800"},
		{24 * time.Hour, "86400"}, // the case: not 172,800
		{relink.Window - time.Second, "1"},
	} {
		e.clock.Set(t0.Add(tt.after))
		r = do(t, noFollow(), "POST", u, ada, ask)
		p := problem(t, r, http.StatusTooManyRequests)
		if got := r.header.Get("Retry-After"); got != tt.want {
			t.Errorf("%v after the first request: Retry-After %q, want %s", tt.after, got, tt.want)
		}
		if p.Kind != errkind.RateLimited || !strings.Contains(string(p.Decision), `"code":"rate_limited"`) {
			t.Errorf("problem %s", r.body)
		}
	}
	e.clock.Set(t0.Add(relink.Window))
	if r = do(t, noFollow(), "POST", u, ada, ask); r.status != http.StatusCreated {
		t.Fatalf("at 48 hours: %d %s", r.status, r.body)
	}
	// Cancel and complete answer for the request, by ID.
	var second struct{ ID string }
	_ = json.Unmarshal([]byte(r.body), &second)
	if r = do(t, noFollow(), "POST", e.url+"/relink/requests/"+second.ID+"/complete", nil, url.Values{}); r.status != 200 || !strings.Contains(r.body, `"status":"succeeded"`) {
		t.Fatalf("complete: %d %s", r.status, r.body)
	}
	if r = do(t, noFollow(), "POST", e.url+"/relink/requests/"+second.ID+"/cancel", nil, nil); r.status != http.StatusConflict {
		t.Fatalf("cancel a completed request: %d %s", r.status, r.body)
	}
	// A Dashboard user whose roles do not allow relink: 403.
	problem(t, do(t, noFollow(), "POST", u, vic, ask), http.StatusForbidden)
}

func TestPlatform_L10_RemediationLockoutThroughHTTP(t *testing.T) {
	e := start(t, nil)
	c := noFollow()
	r := do(t, c, "POST", e.url+"/accounts/"+string(server.DemoAccount)+"/remediation-links", sam, nil)
	var gen struct {
		URL    string `json:"url"`
		LinkID string `json:"link_id"`
	}
	if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &gen) != nil || !strings.HasPrefix(gen.URL, e.url+"/r/lnk_") {
		t.Fatalf("generate: %d %s", r.status, r.body)
	}
	problem(t, do(t, c, "POST", e.url+"/accounts/"+string(server.DemoAccount)+"/remediation-links", vic, nil), http.StatusForbidden)
	if r = do(t, c, "GET", gen.URL, nil, nil); r.status != 200 || !strings.Contains(r.body, "hosted_onboarding") {
		t.Fatalf("open: %d %s", r.status, r.body)
	}
	base := e.url + "/remediation-links/" + gen.LinkID
	for i := range 4 {
		if r = do(t, c, "POST", base+"/failures", nil, url.Values{"reason": {"wrong_information"}}); r.status != 200 {
			t.Fatalf("failure %d: %d %s", i+1, r.status, r.body)
		}
		p := problem(t, do(t, c, "GET", gen.URL, nil, nil), http.StatusUnprocessableEntity)
		if !strings.Contains(string(p.Decision), "awaiting_reset") {
			t.Fatalf("open while blocked: %s", p.Decision)
		}
		if i < 3 {
			if r = do(t, c, "POST", base+"/reset", sam, nil); r.status != 200 {
				t.Fatalf("reset %d: %d %s", i+1, r.status, r.body)
			}
		}
	}
	// The fourth wrong-information failure: a reset needs the security
	// check acknowledged first, and a View Only user may do neither.
	p := problem(t, do(t, c, "POST", base+"/reset", sam, nil), http.StatusUnprocessableEntity)
	if !strings.Contains(string(p.Decision), "security_check") {
		t.Fatalf("reset before acknowledging: %s", p.Decision)
	}
	problem(t, do(t, c, "POST", base+"/acknowledge", vic, nil), http.StatusForbidden)
	if r = do(t, c, "POST", base+"/acknowledge", ada, nil); r.status != 200 {
		t.Fatalf("acknowledge: %d %s", r.status, r.body)
	}
	if r = do(t, c, "POST", base+"/reset", sam, nil); r.status != 200 {
		t.Fatalf("reset after acknowledging: %d %s", r.status, r.body)
	}
	if r = do(t, c, "GET", gen.URL, nil, nil); r.status != 200 {
		t.Fatalf("open after the reset: %d %s", r.status, r.body)
	}
	// The export: a row per account, refused for View Only.
	r = do(t, c, "GET", e.url+"/remediation-links.csv", ada, nil)
	if r.status != 200 || r.header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(r.body, "acct_demo,"+gen.LinkID+","+e.url+"/r/lnk_") {
		t.Fatalf("export: %d %s", r.status, r.body)
	}
	problem(t, do(t, c, "GET", e.url+"/remediation-links.csv", vic, nil), http.StatusForbidden)
}

// concurrentPosts POSTs Racers times at once to one link over ls and
// returns how many landed on the collection page.
func concurrentPosts(t *testing.T, ls links.Store) (proceeded, refreshed int) {
	e := start(t, ls)
	link := e.createLink()
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	for range linkstest.Racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := do(t, noFollow(), "POST", link, nil, url.Values{})
			mu.Lock()
			defer mu.Unlock()
			switch loc := r.header.Get("Location"); {
			case loc == "/onboarding":
				proceeded++
			case strings.HasPrefix(loc, e.url+"/refresh?"):
				refreshed++
			}
		}()
	}
	wg.Wait()
	return proceeded, refreshed
}

// TestPlatform_L1_64ConcurrentPostsExactlyOneProceeds: every redemption's
// read is held at a barrier until all 64 have read, so all race for the
// conditional write.
func TestPlatform_L1_64ConcurrentPostsExactlyOneProceeds(t *testing.T) {
	if linkstest.Racers != 64 {
		t.Fatalf("linkstest.Racers is %d", linkstest.Racers)
	}
	p, r := concurrentPosts(t, linkstest.NewBarrier(links.NewMemoryStore(), linkstest.Racers))
	if p != 1 || r != linkstest.Racers-1 {
		t.Fatalf("%d POSTs: %d proceeded, %d sent to refresh; want 1 and %d", linkstest.Racers, p, r, linkstest.Racers-1)
	}
	// The test's power: over a store whose redemption is not conditional,
	// more than one proceeds.
	if p, _ := concurrentPosts(t, linkstest.NewBarrier(unconditional{links.NewMemoryStore()}, linkstest.Racers)); p < 2 {
		t.Fatalf("over a store without the conditional write, %d proceeded; the race is not forced", p)
	}
}

// unconditional is a broken Store: it reports every redemption of an
// already used link as this caller's.
type unconditional struct{ links.Store }

func (u unconditional) RedeemAccountLink(ctx context.Context, h links.TokenHash, now time.Time) (links.AccountLink, error) {
	l, err := u.Store.RedeemAccountLink(ctx, h, now)
	if errors.Is(err, links.ErrAlreadyUsed) {
		return l, nil
	}
	return l, err
}

// TestPlatform_MalformedInputIs400WithoutEcho: every malformed input is a
// 400 problem whose text repeats nothing of the request.
func TestPlatform_MalformedInputIs400WithoutEcho(t *testing.T) {
	e := start(t, nil)
	tok, _ := links.NewToken(rand.NewChaCha8([32]byte{9}))
	secret := tok.Reveal()
	tests := []struct {
		name, method, path string
		hdr                map[string]string
		form               url.Values
		leak               string
	}{
		{"token one character short", "GET", "/l/" + secret[:len(secret)-1], nil, nil, secret[:len(secret)-1]},
		{"token on POST", "POST", "/l/" + secret + "x", nil, url.Values{}, secret},
		{"remediation token", "GET", "/r/lnk_" + "jenny@example.com", nil, nil, "jenny@example.com"},
		{"refresh key that is a link token", "GET", "/refresh?refresh_key=" + secret, nil, nil, secret},
		{"no refresh key", "GET", "/refresh", nil, nil, ""},
		{"unknown role", "POST", "/accounts/acct_demo/remediation-links", map[string]string{"X-User-ID": "u", "X-User-Roles": "jenny@example.com"}, nil, "jenny@example.com"},
		{"no user", "POST", "/accounts/acct_demo/account-links", nil, url.Values{}, ""},
		{"link type", "POST", "/accounts/acct_demo/account-links", ada, url.Values{"type": {"jenny@example.com"}}, "jenny@example.com"},
		{"relink method", "POST", "/relink/accounts/fca_demo/requests", ada, url.Values{"method": {"jenny@example.com"}}, "jenny@example.com"},
		{"failure reason", "POST", "/remediation-links/rml_1/failures", nil, url.Values{"reason": {"jenny@example.com"}}, "jenny@example.com"},
		{"oversized form", "POST", "/relink/accounts/fca_demo/requests", ada, url.Values{"method": {strings.Repeat("x", 20<<10)}}, "xxxxxxxx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, noFollow(), tt.method, e.url+tt.path, tt.hdr, tt.form)
			problem(t, r, http.StatusBadRequest)
			if tt.leak != "" && strings.Contains(r.body, tt.leak) {
				t.Fatalf("the answer repeats the input: %s", r.body)
			}
		})
	}
	// A well-formed but unknown refresh key: 404, not repeated either.
	r := do(t, noFollow(), "GET", e.url+"/refresh?refresh_key="+tok.RefreshKey(), nil, nil)
	if problem(t, r, http.StatusNotFound); strings.Contains(r.body, tok.RefreshKey()) || strings.Contains(r.body, secret) {
		t.Fatalf("the answer repeats the key: %s", r.body)
	}
}

// TestStatusOf maps every errkind category to one HTTP status, the same
// as examples/httpstatus_example_test.go's httpStatus: an outcome unknown
// (a storage fault) is 503 without Retry-After, since the write may have
// happened and the client should re-read before retrying.
func TestStatusOf(t *testing.T) {
	want := map[errkind.Kind]int{
		errkind.InvalidInput: 400, errkind.NotFound: 404, errkind.Exists: 409, errkind.Denied: 403,
		errkind.NotEligible: 422, errkind.RateLimited: 429, errkind.Conflict: 409, errkind.AlreadyUsed: 409,
		errkind.OutcomeUnknown: 503,
	}
	for k := errkind.InvalidInput; k <= errkind.OutcomeUnknown; k++ {
		if got := server.StatusOf(k); got != want[k] {
			t.Errorf("StatusOf(%v) = %d, want %d", k, got, want[k])
		}
	}
}

// TestPlatform_L7_DeniedRendersOnlyTheRoleDecision: a View Only user asks
// for a remediation link on an account that lacks every L8 fact. The 403
// says what the role decided and nothing of the account: a user who may
// not act learns nothing of the object.
func TestPlatform_L7_DeniedRendersOnlyTheRoleDecision(t *testing.T) {
	e := start(t, nil)
	bare := account.NewCustom("acct_bare", "US")
	if _, err := e.accts.Create(context.Background(), bare); err != nil {
		t.Fatal(err)
	}
	r := do(t, noFollow(), "POST", e.url+"/accounts/acct_bare/remediation-links", vic, nil)
	p := problem(t, r, http.StatusForbidden)
	for _, leak := range []string{"owner_not_set", "representative", "external_account", "L6", "L8"} {
		if strings.Contains(r.body, leak) {
			t.Errorf("the 403 tells %q of the account: %s", leak, r.body)
		}
	}
	var d roles.Decision
	if err := json.Unmarshal(p.Decision, &d); err != nil {
		t.Fatalf("decision %s: %v", p.Decision, err)
	}
	if d.Allowed || d.Action != roles.GenerateRemediationLink {
		t.Fatalf("decision %+v, want only the role decision refusing generate_remediation_link", d)
	}
	// The same account for a user whose roles allow it: 422 with every
	// eligibility reason, which that user may see.
	r = do(t, noFollow(), "POST", e.url+"/accounts/acct_bare/remediation-links", sam, nil)
	if problem(t, r, http.StatusUnprocessableEntity); !strings.Contains(r.body, "representative_dob_missing") {
		t.Fatalf("the permitted user's refusal: %s", r.body)
	}
}

// faulty is a links Store whose reads fail as a driver's would.
type faulty struct{ links.Store }

func (faulty) AccountLink(context.Context, links.TokenHash) (links.AccountLink, error) {
	return links.AccountLink{}, errors.New("driver: connection reset by 10.0.0.7")
}

func TestPlatform_OutcomeUnknownIs503WithoutRetryAfter(t *testing.T) {
	e := start(t, faulty{links.NewMemoryStore()})
	link := e.createLink()
	r := do(t, noFollow(), "POST", link, nil, url.Values{})
	p := problem(t, r, http.StatusServiceUnavailable)
	if p.Kind != errkind.OutcomeUnknown || r.header.Get("Retry-After") != "" || strings.Contains(r.body, "10.0.0.7") {
		t.Fatalf("storage fault: %+v, Retry-After %q: %s", p, r.header.Get("Retry-After"), r.body)
	}
}
