// Package server is the reference platform server of examples/platform: a
// net/http handler (standard library only, Go 1.22 routing patterns) that
// drives connectkit's account links, remediation links, relink requests
// and Stripe's webhook events from HTTP requests. A platform can start
// from it.
//
// # Routes
//
// Account links (L1–L5, Q5, Q9):
//
//	POST /accounts/{account}/account-links      create; JSON {"url", "expires_at"} (201)
//	GET  /l/{token}                             landing page: a button, consumes nothing
//	POST /l/{token}                             redeem: 303 to /onboarding, or to the refresh URL
//	GET  /onboarding                            the collection page (stand-in for the hosted flow)
//	POST /onboarding                            "submit": the demo marks the requirements met, 303 to /return
//	GET  /refresh?refresh_key=…                 refresh the chain: 303 to the new link's landing page
//	GET  /return                                complete, or what is still outstanding
//
// Only a spent or expired link refreshes: a refresh key is derived from the
// link's token, so links refuses a live link's key (link_still_valid, 422).
// The key is a bearer secret all the same: a production /refresh handler
// authenticates the person with the platform's own session before minting
// a link (the demo has no login).
//
// Remediation links (L6–L12), for users named by the X-User-ID and
// X-User-Roles headers (Stripe role names, comma-separated):
//
//	POST /accounts/{account}/remediation-links  generate; JSON {"url", "link_id", "expires_at", "new"} (201)
//	GET  /r/{token}                             open: where it leads (reading never consumes it)
//	POST /remediation-links/{id}/failures       report a failed verification (form: reason)
//	POST /remediation-links/{id}/reset          reset after a failure
//	POST /remediation-links/{id}/acknowledge    acknowledge the security check
//	GET  /remediation-links.csv                 export (query: account, repeated; default all)
//
// Relink (K1–K6):
//
//	POST /relink/accounts/{account}/requests    form: method, delivery, purpose; JSON request (201)
//	POST /relink/requests/{id}/complete         form: relinked (optional)
//	POST /relink/requests/{id}/cancel
//
// Relink decides on the Financial Connections accounts in Config.Relink's
// account store (relink.AccountStore), which the webhook keeps current.
//
// Stripe's webhook (issue 14, package events):
//
//	POST /webhooks/stripe                       apply one event; JSON events.Report (200)
//
// The body (at most events.MaxEventBytes) is checked by
// Config.VerifyWebhook before anything in it is read — the platform's
// check of the Stripe-Signature header with its signing secret; connectkit
// does no I/O and verifies nothing itself, and without a verifier the
// route is not served — then parsed (events.Parse) and applied
// (events.Handler.ApplyAt) at one instant read from the clock. Applied,
// stale, duplicate and unhandled (unknown type) events answer 200 with the
// report, so Stripe stops delivering them; a malformed body or object is
// 400; any other error answers by its kind (an account not stored yet is
// 404, a storage fault 503), so Stripe delivers the event again. A v2
// thin event of a type connectkit applies needs its related object, which
// this server does not fetch: it answers 400 (events.ErrFetchRequired);
// other v2 types are acknowledged as unhandled.
//
// # Errors
//
// Every error is an RFC 9457 application/problem+json document built only
// from the error's errkind category (its HTTP status, see StatusOf) and the
// refusing decision's JSON. A role denial (403) renders only the role's
// part of the decision, never the object's eligibility reasons: a user who
// may not act learns nothing of the account. A decision refused by time alone sets
// Retry-After from Decision.DelayFrom at the instant of the decision, read
// once per request from the configured clock. Malformed input is 400 with a
// fixed message that never repeats a token or personal data.
//
// The X-User-* headers stand in for the platform's own authentication:
// never trust them from the Internet.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock"
	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/events"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/roles"
)

// WebhookVerifier checks that a webhook delivery comes from Stripe before
// anything in it is read: typically Stripe's signature scheme over the
// Stripe-Signature header and the raw body, with the endpoint's signing
// secret and a tolerance on the signed timestamp (Stripe's libraries
// provide it). A non-nil error refuses the delivery (400) and nothing is
// applied. connectkit does no I/O and holds no secret, so it does not
// verify signatures itself.
type WebhookVerifier func(header http.Header, body []byte) error

// AcceptUnverified is a WebhookVerifier that accepts every delivery: for
// the demo and tests only. Behind it, anyone who can reach the server can
// rewrite account state.
func AcceptUnverified(http.Header, []byte) error { return nil }

// Config is what a Server runs on. Accounts, Links and Relink are
// required.
type Config struct {
	// BaseURL is the server's own absolute URL ("http://127.0.0.1:8080"),
	// from which link, refresh and return URLs are built.
	BaseURL string
	// Accounts keeps the connected accounts and the platform's settings.
	Accounts account.Store
	// Links keeps account and remediation links.
	Links links.Store
	// Relink keeps relink requests and the Financial Connections accounts
	// they are for (relink.AccountStore), which the webhook updates.
	Relink relink.Store
	// VerifyWebhook checks each POST /webhooks/stripe delivery before it
	// is parsed; nil leaves the route unserved (404). See
	// WebhookVerifier and AcceptUnverified.
	VerifyWebhook WebhookVerifier
	// Clock is the time of every decision; nil is the system clock.
	Clock clock.Clock
	// Rand is the randomness of tokens and IDs; nil is crypto/rand.
	Rand io.Reader
	// Policy decides what roles may do; nil is roles.Default().
	Policy *roles.Policy
	// ConfirmedEmails are the platform's confirmed emails (relink K6).
	ConfirmedEmails []string
	// ExportAccounts lists the accounts an export without "account"
	// parameters covers (the Store lists nothing in bulk).
	ExportAccounts []account.ID
}

// Server is the reference platform's HTTP side. Build it with New.
type Server struct {
	cfg    Config
	clock  clock.Clock
	links  *links.Service
	relink *relink.Service
	events *events.Handler
	mux    *http.ServeMux
	secure bool
}

// New checks cfg and returns a Server.
func New(cfg Config) (*Server, error) {
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || !base.IsAbs() || base.Host == "" || base.Path != "" && base.Path != "/" {
		return nil, errors.New("server: BaseURL must be an absolute URL without a path, such as http://127.0.0.1:8080")
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	if cfg.Accounts == nil || cfg.Links == nil || cfg.Relink == nil {
		return nil, errors.New("server: Accounts, Links and Relink are required")
	}
	c := cfg.Clock
	if c == nil {
		c = clock.System{}
	}
	s := &Server{cfg: cfg, clock: c, secure: base.Scheme == "https"}
	s.links = &links.Service{
		Store:    cfg.Links,
		Accounts: cfg.Accounts,
		Platform: cfg.Accounts,
		Clock:    c,
		Policy:   cfg.Policy,
		Rand:     cfg.Rand,
		Requirements: links.RequirementsFunc(func(ctx context.Context, id account.ID) (requirements.Set, error) {
			a, err := cfg.Accounts.Get(ctx, id)
			return a.Requirements, err
		}),
		AccountLinkURL:     links.URLTemplate(cfg.BaseURL + "/l/" + links.TokenPlaceholder),
		RemediationLinkURL: links.URLTemplate(cfg.BaseURL + "/r/" + links.TokenPlaceholder),
	}
	if err := s.links.AccountLinkURL.Validate(); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s.relink = &relink.Service{Store: cfg.Relink, Clock: c, Policy: cfg.Policy, Rand: cfg.Rand, ConfirmedEmails: cfg.ConfirmedEmails}
	// The webhook applies snapshots through account.Service's Apply*
	// methods only, which weigh no roles.
	s.events = &events.Handler{Accounts: &account.Service{Store: cfg.Accounts, Clock: c, Policy: cfg.Policy}, Relink: s.relink, Clock: c}
	s.routes()
	return s, nil
}

// Links returns the links service the server drives (to seed a demo or
// inspect a test).
func (s *Server) Links() *links.Service { return s.links }

// ServeHTTP serves the routes with the headers every answer carries.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Link URLs hold secrets: no Referer leaves a page, nothing is cached,
	// and pages run no script and post only to this server.
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	s.mux.ServeHTTP(w, r)
}

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("POST /accounts/{account}/account-links", s.createAccountLink)
	m.HandleFunc("GET /l/{token}", s.landing)
	m.HandleFunc("POST /l/{token}", s.redeem)
	m.HandleFunc("GET /onboarding", s.onboarding)
	m.HandleFunc("POST /onboarding", s.submitOnboarding)
	m.HandleFunc("GET /refresh", s.refresh)
	m.HandleFunc("GET /return", s.returned)

	m.HandleFunc("POST /accounts/{account}/remediation-links", s.generateRemediationLink)
	m.HandleFunc("GET /r/{token}", s.openRemediationLink)
	m.HandleFunc("POST /remediation-links/{id}/failures", s.recordFailure)
	m.HandleFunc("POST /remediation-links/{id}/reset", s.resetRemediationLink)
	m.HandleFunc("POST /remediation-links/{id}/acknowledge", s.acknowledge)
	m.HandleFunc("GET /remediation-links.csv", s.export)

	m.HandleFunc("POST /relink/accounts/{account}/requests", s.requestRelink)
	m.HandleFunc("POST /relink/requests/{id}/complete", s.completeRelink)
	m.HandleFunc("POST /relink/requests/{id}/cancel", s.cancelRelink)

	if s.cfg.VerifyWebhook != nil {
		m.HandleFunc("POST /webhooks/stripe", s.webhook)
	}

	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" && r.Method == http.MethodGet {
			s.page(w, http.StatusOK, "home", nil)
			return
		}
		sendProblem(w, Problem{Type: ProblemTypeBase + errkind.NotFound.String(), Title: kindStatus[errkind.NotFound].title, Status: http.StatusNotFound, Kind: errkind.NotFound})
	})
	s.mux = m
}

// webhook applies one Stripe event delivery: the body, bounded by
// events.MaxEventBytes, is verified (Config.VerifyWebhook), parsed
// (events.Parse) and applied (events.Handler.ApplyAt) at one instant read
// from the clock. Applied, stale, duplicate and unhandled events all
// answer 200 with the report, so that Stripe stops delivering them; a
// malformed body or object is a 400 with a fixed message; any other error
// answers by its kind (an account not stored yet is 404, a storage fault
// 503), so that Stripe delivers the event again later.
func (s *Server) webhook(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	r.Body = http.MaxBytesReader(w, r.Body, events.MaxEventBytes)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		badRequest(w, "the event is larger than events.MaxEventBytes or could not be read")
		return
	}
	if err := s.cfg.VerifyWebhook(r.Header, body); err != nil {
		badRequest(w, "the Stripe-Signature header does not verify")
		return
	}
	ev, err := events.Parse(body)
	if err != nil {
		badRequest(w, "the body is not a Stripe event")
		return
	}
	rep, err := s.events.ApplyAt(r.Context(), ev, now)
	switch {
	case errors.Is(err, events.ErrFetchRequired):
		badRequest(w, "a v2 thin event needs its related object, which this server does not fetch")
		return
	case errors.Is(err, events.ErrInvalid):
		badRequest(w, "the event's object is malformed")
		return
	case err != nil:
		writeProblem(w, err, nil, now)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// maxForm bounds a request body.
const maxForm = 16 << 10

// form parses a bounded form body; false (after answering 400) when it
// is malformed.
func form(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		badRequest(w, "the form is malformed or larger than 16 KiB")
		return false
	}
	return true
}

// user reads the acting user from the X-User-ID and X-User-Roles headers;
// false (after answering 400) when they are malformed.
func user(w http.ResponseWriter, r *http.Request) (roles.User, bool) {
	u := roles.User{ID: r.Header.Get("X-User-ID")}
	if names := strings.TrimSpace(r.Header.Get("X-User-Roles")); names != "" {
		parts := strings.Split(names, ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		set, err := roles.ParseSet(parts...)
		if err != nil {
			badRequest(w, "X-User-Roles must be a comma-separated list of Stripe role names")
			return roles.User{}, false
		}
		u.Roles = set
	}
	if err := u.Validate(); err != nil {
		badRequest(w, "X-User-ID must name the acting user (1 to 255 bytes of UTF-8, no NUL)")
		return roles.User{}, false
	}
	return u, true
}

func accountID(w http.ResponseWriter, r *http.Request) (account.ID, bool) {
	id := account.ID(r.PathValue("account"))
	if err := links.ValidateAccountID(id); err != nil {
		badRequest(w, "the account ID is malformed")
		return "", false
	}
	return id, true
}

// linkToken parses the {token} path value; false (after answering 400)
// when it is not a token. The message never repeats it.
func linkToken(w http.ResponseWriter, r *http.Request) (links.Token, bool) {
	tok, err := links.ParseToken(r.PathValue("token"))
	if err != nil {
		badRequest(w, "the link token is malformed")
		return links.Token{}, false
	}
	return tok, true
}

func (s *Server) createAccountLink(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	u, ok := user(w, r)
	if !ok {
		return
	}
	id, ok := accountID(w, r)
	if !ok || !form(w, r) {
		return
	}
	p := links.AccountLinkParams{Type: links.TypeOnboarding, RefreshURL: s.cfg.BaseURL + "/refresh", ReturnURL: s.cfg.BaseURL + "/return", Live: s.secure}
	if t := r.PostForm.Get("type"); t != "" {
		p.Type = links.LinkType(t)
		if !p.Type.Valid() {
			badRequest(w, "type must be account_onboarding or account_update")
			return
		}
	}
	if r.PostForm.Get("collect") == "eventually_due" {
		p.Collection.Fields = requirements.CollectEventuallyDue
	}
	a, err := s.cfg.Accounts.Get(r.Context(), id)
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	issued, err := s.links.CreateAccountLinkAt(r.Context(), u, a, p, now)
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"url": issued.URL, "expires_at": issued.Link.ExpiresAt})
}

// landing shows the link's page with one button. It reads nothing and
// consumes nothing, so that a chat client's or mail scanner's preview
// leaves the link for the person.
func (s *Server) landing(w http.ResponseWriter, r *http.Request) {
	if _, ok := linkToken(w, r); !ok {
		return
	}
	s.page(w, http.StatusOK, "landing", nil)
}

// onboardingCookie holds the refresh key of the link being filled in,
// for the collection page and the return URL.
const onboardingCookie = "connectkit_onboarding"

func (s *Server) redeem(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	tok, ok := linkToken(w, r)
	if !ok {
		return
	}
	red, err := s.links.RedeemAt(r.Context(), tok, now)
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	switch {
	case red.Outcome == links.Proceed:
		http.SetCookie(w, &http.Cookie{Name: onboardingCookie, Value: tok.RefreshKey(), Path: "/", HttpOnly: true,
			Secure: s.secure, SameSite: http.SameSiteLaxMode, MaxAge: int(links.DefaultRefreshChainAge / time.Second)})
		http.Redirect(w, r, "/onboarding", http.StatusSeeOther)
	case red.RedirectURL != "":
		http.Redirect(w, r, red.RedirectURL, http.StatusSeeOther)
	default:
		s.page(w, http.StatusNotFound, "unknown", nil)
	}
}

// cookieToken reads the onboarding cookie; false (after answering) when
// there is none or it is malformed.
func (s *Server) cookieToken(w http.ResponseWriter, r *http.Request) (links.Token, bool) {
	c, err := r.Cookie(onboardingCookie)
	if err != nil {
		badRequest(w, "no onboarding in progress in this browser: open your link again")
		return links.Token{}, false
	}
	tok, err := links.ParseRefreshKey(c.Value)
	if err != nil {
		badRequest(w, "the onboarding cookie is malformed")
		return links.Token{}, false
	}
	return tok, true
}

// onboarding is the stand-in for the hosted collection flow: the fields
// the link collects, and two buttons.
func (s *Server) onboarding(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	tok, ok := s.cookieToken(w, r)
	if !ok {
		return
	}
	l, err := s.cfg.Links.AccountLink(r.Context(), tok.Hash())
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	a, err := s.cfg.Accounts.Get(r.Context(), l.Account)
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	s.page(w, http.StatusOK, "onboarding", map[string]any{"Fields": a.Requirements.FieldsToCollect(l.Params.Collection)})
}

// submitOnboarding plays Stripe's part in the demo: the person's details
// meet every requirement the link collects, then the flow goes to the
// return URL. In production Stripe's account.updated event reports this
// (POST /webhooks/stripe).
func (s *Server) submitOnboarding(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	tok, ok := s.cookieToken(w, r)
	if !ok {
		return
	}
	l, err := s.cfg.Links.AccountLink(r.Context(), tok.Hash())
	if err == nil && !l.Used() {
		err = links.ErrNotRedeemed
	}
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	for range 4 {
		var a account.Account
		if a, err = s.cfg.Accounts.Get(r.Context(), l.Account); err != nil {
			break
		}
		a.Requirements = requirements.Set{}
		if _, err = s.cfg.Accounts.Update(r.Context(), a, a.Version); !errors.Is(err, account.ErrConflict) {
			break
		}
	}
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	http.Redirect(w, r, l.Params.ReturnURL, http.StatusSeeOther)
}

// refresh continues the chain of a spent or expired link from the refresh
// key a refused redemption redirected to (links refuses a live link's key
// with link_still_valid, 422). The key is a bearer secret: a production
// handler authenticates the person with the platform's own session before
// minting a link; the demo has no login and leaves that out.
func (s *Server) refresh(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	prev, err := links.ParseRefreshKey(r.URL.Query().Get(links.RefreshKeyParam))
	if err != nil {
		badRequest(w, "the refresh key is missing or malformed")
		return
	}
	next, err := s.links.RefreshAt(r.Context(), prev, now)
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	http.Redirect(w, r, next.URL, http.StatusSeeOther)
}

func (s *Server) returned(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	tok, ok := s.cookieToken(w, r)
	if !ok {
		return
	}
	back, err := s.links.ReturnAt(r.Context(), tok, now)
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	s.page(w, http.StatusOK, "return", back)
}

func (s *Server) generateRemediationLink(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	u, ok := user(w, r)
	if !ok {
		return
	}
	id, ok := accountID(w, r)
	if !ok {
		return
	}
	a, err := s.cfg.Accounts.Get(r.Context(), id)
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	issued, err := s.links.GenerateRemediationLinkAt(r.Context(), u, a, now)
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"url": issued.URL, "link_id": issued.Link.ID, "expires_at": issued.Link.ExpiresAt, "new": issued.New})
}

func (s *Server) openRemediationLink(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	tok, ok := linkToken(w, r)
	if !ok {
		return
	}
	o, err := s.links.OpenRemediationLinkAt(r.Context(), tok, now)
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	s.page(w, http.StatusOK, "remediation", o)
}

func linkID(w http.ResponseWriter, r *http.Request) (links.LinkID, bool) {
	id := links.LinkID(r.PathValue("id"))
	if err := links.ValidateLinkID(id); err != nil {
		badRequest(w, "the remediation link ID is malformed")
		return "", false
	}
	return id, true
}

func (s *Server) recordFailure(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	id, ok := linkID(w, r)
	if !ok || !form(w, r) {
		return
	}
	var f links.FailureReason
	for c := links.FailureWrongInformation; c.Valid(); c++ {
		if c.String() == r.PostForm.Get("reason") {
			f = c
		}
	}
	if f == 0 {
		badRequest(w, "reason must be wrong_information, not_representative or insufficient_information")
		return
	}
	l, remedy, err := s.links.RecordVerificationFailureAt(r.Context(), id, f, now)
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"link": linkJSON(l), "remedy": remedy.String(), "security_check": remedy.SecurityCheck})
}

func (s *Server) resetRemediationLink(w http.ResponseWriter, r *http.Request) {
	s.changeRemediationLink(w, r, s.links.ResetRemediationLinkAt)
}

func (s *Server) acknowledge(w http.ResponseWriter, r *http.Request) {
	s.changeRemediationLink(w, r, s.links.AcknowledgeSecurityCheckAt)
}

func (s *Server) changeRemediationLink(w http.ResponseWriter, r *http.Request,
	op func(context.Context, roles.User, links.LinkID, time.Time) (links.RemediationLink, error)) {
	now := s.clock.Now()
	u, ok := user(w, r)
	if !ok {
		return
	}
	id, ok := linkID(w, r)
	if !ok {
		return
	}
	l, err := op(r.Context(), u, id, now)
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"link": linkJSON(l)})
}

// linkJSON is what the server tells about a remediation link: its state,
// never a token.
func linkJSON(l links.RemediationLink) map[string]any {
	return map[string]any{"id": l.ID, "account": l.Account, "expires_at": l.ExpiresAt, "pending": l.Pending.String(),
		"failures": l.Failures, "wrong_information": l.WrongInformation, "reset_credits": l.ResetCredits,
		"security_check_pending": l.SecurityCheckPending(), "version": l.Version}
}

// maxExportAccounts bounds the accounts one export request names.
const maxExportAccounts = 1000

func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	u, ok := user(w, r)
	if !ok {
		return
	}
	ids := s.cfg.ExportAccounts
	if q := r.URL.Query()["account"]; len(q) > 0 {
		if len(q) > maxExportAccounts {
			badRequest(w, "an export names at most 1000 accounts")
			return
		}
		ids = nil
		for _, v := range q {
			if links.ValidateAccountID(account.ID(v)) != nil {
				badRequest(w, "an account ID is malformed")
				return
			}
			ids = append(ids, account.ID(v))
		}
	}
	ctx := r.Context()
	var readErr error
	accounts := iter.Seq[account.Account](func(yield func(account.Account) bool) {
		for _, id := range ids {
			a, err := s.cfg.Accounts.Get(ctx, id)
			if err != nil {
				readErr = err
				return
			}
			if !yield(a) {
				return
			}
		}
	})
	// A refusal of the whole export (roles) must come before any row is
	// written, so check the policy first with an empty sequence.
	if _, err := s.links.ExportRemediationLinksAt(ctx, u, func(func(account.Account) bool) {}, func(links.ExportRow) error { return nil }, now); err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="remediation-links.csv"`)
	cw := newCSV(w)
	cw.row("account", "link_id", "url", "expires_at", "new", "refused", "error_kind")
	_, err := s.links.ExportRemediationLinksAt(ctx, u, accounts, func(row links.ExportRow) error {
		kind, refused := "", ""
		if row.Err != nil {
			kind = problemFor(row.Err, nil).Kind.String()
		}
		if !row.Decision.Allowed {
			refused = strings.Join(row.Decision.Reasons.Codes(), " ")
		}
		exp := ""
		if row.OK() {
			exp = row.Link.ExpiresAt.UTC().Format(time.RFC3339)
		}
		cw.row(string(row.Account), string(row.Link.ID), row.URL, exp, fmt.Sprint(row.New), refused, kind)
		return cw.err
	}, now)
	if err == nil {
		err = readErr
	}
	if err != nil {
		// The status is sent; say so in the file's last line.
		cw.row("#", "", "", "", "", "", "export stopped: "+problemFor(err, nil).Kind.String())
	}
}

// relinkMethods are the methods a form may name, by wire name.
func parseMethod(s string) (relink.Method, bool) {
	var m relink.Method
	if err := m.UnmarshalText([]byte(s)); err != nil {
		return 0, false
	}
	return m, true
}

func (s *Server) requestRelink(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	u, ok := user(w, r)
	if !ok || !form(w, r) {
		return
	}
	id := relink.AccountID(r.PathValue("account"))
	if id.Validate() != nil {
		badRequest(w, "the Financial Connections account ID is malformed")
		return
	}
	ask := relink.Ask{User: u}
	if ask.Method, ok = parseMethod(r.PostForm.Get("method")); !ok {
		badRequest(w, "method must be hosted_dashboard, hosted_api or api")
		return
	}
	if d := r.PostForm.Get("delivery"); d != "" {
		if ask.Delivery.UnmarshalText([]byte(d)) != nil {
			badRequest(w, "delivery must be email or url")
			return
		}
	}
	if p := r.PostForm.Get("purpose"); p != "" {
		if ask.Purpose.UnmarshalText([]byte(p)) != nil {
			badRequest(w, "purpose is not a relink purpose")
			return
		}
	}
	stored, err := s.cfg.Relink.FCAccount(r.Context(), id)
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	req, d, err := s.relink.RequestAt(r.Context(), stored.Account, ask, now)
	if err != nil {
		var dd decision
		if !d.Allowed && d.Reasons.Len() > 0 {
			dd = d
		}
		writeProblem(w, err, dd, now)
		return
	}
	writeJSON(w, http.StatusCreated, requestJSON(req))
}

func requestJSON(q relink.Request) map[string]any {
	return map[string]any{"id": q.ID, "account": q.Account, "method": q.Method, "status": q.Status, "created_at": q.CreatedAt}
}

func (s *Server) completeRelink(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	if !form(w, r) {
		return
	}
	id := relink.RequestID(r.PathValue("id"))
	relinked := relink.AccountID(r.PostForm.Get("relinked"))
	if id.Validate() != nil || relinked != "" && relinked.Validate() != nil {
		badRequest(w, "the request or account ID is malformed")
		return
	}
	q, err := s.relink.CompleteAt(r.Context(), id, relinked, now)
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	writeJSON(w, http.StatusOK, requestJSON(q))
}

func (s *Server) cancelRelink(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	id := relink.RequestID(r.PathValue("id"))
	if id.Validate() != nil {
		badRequest(w, "the request ID is malformed")
		return
	}
	q, err := s.relink.CancelAt(r.Context(), id, now)
	if err != nil {
		writeProblem(w, err, nil, now)
		return
	}
	writeJSON(w, http.StatusOK, requestJSON(q))
}
