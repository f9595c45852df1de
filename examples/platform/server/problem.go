package server

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

// ProblemTypeBase starts the "type" URI of every problem this server
// answers with: the errkind category's name follows it
// ("urn:connectkit:problem:rate_limited").
const ProblemTypeBase = "urn:connectkit:problem:"

// Problem is an RFC 9457 problem details document. The server builds it
// only from the error's errkind category and, when a decision refused, the
// decision's JSON: never from an error's text, which may hold an account
// ID or a person's email, and never from the request, which may hold a
// token.
type Problem struct {
	// Type is ProblemTypeBase followed by Kind.
	Type string `json:"type"`
	// Title is the category's fixed sentence.
	Title string `json:"title"`
	// Status is the HTTP status.
	Status int `json:"status"`
	// Detail is the decision's sentence (its reasons' messages), or the
	// fixed text of a malformed-input error.
	Detail string `json:"detail,omitempty"`
	// Kind is the errkind category.
	Kind errkind.Kind `json:"kind"`
	// Decision is the refusing decision, in connectkit's decision shape.
	// When Kind is Denied it holds only the role's part (its role
	// decision and role reason), never the object's eligibility reasons.
	Decision json.RawMessage `json:"decision,omitempty"`
}

// kindStatus maps each errkind category to its HTTP status and title.
var kindStatus = map[errkind.Kind]struct {
	status int
	title  string
}{
	errkind.InvalidInput:   {http.StatusBadRequest, "The request is malformed."},
	errkind.NotFound:       {http.StatusNotFound, "Not found."},
	errkind.Exists:         {http.StatusConflict, "It exists already."},
	errkind.Denied:         {http.StatusForbidden, "Your roles do not allow this."},
	errkind.NotEligible:    {http.StatusUnprocessableEntity, "The rules do not allow this now."},
	errkind.RateLimited:    {http.StatusTooManyRequests, "Too many requests; try again later."},
	errkind.Conflict:       {http.StatusConflict, "Someone else changed it first; reload and retry."},
	errkind.AlreadyUsed:    {http.StatusConflict, "It was already used or closed."},
	errkind.OutcomeUnknown: {http.StatusServiceUnavailable, "Something failed; the outcome is unknown. Check before retrying."},
}

// StatusOf returns the HTTP status for an error's errkind category: 400
// invalid input, 403 denied, 404 not found, 409 exists, conflict and
// already used, 422 not eligible, 429 rate limited (with Retry-After), and
// 503 outcome unknown, without Retry-After: a storage or network fault
// after which the write may have happened, so the client re-reads before
// retrying (the same mapping as examples/httpstatus_example_test.go).
func StatusOf(k errkind.Kind) int {
	if s, ok := kindStatus[k]; ok {
		return s.status
	}
	return http.StatusInternalServerError
}

// decision is what the links, relink and roles decisions share: JSON in
// connectkit's decision shape, a sentence, and (links and relink) a delay.
type decision interface {
	json.Marshaler
	String() string
}

// decisionOf finds the refusing decision an error carries, if any.
func decisionOf(err error) decision {
	var le *links.DecisionError
	if errors.As(err, &le) {
		return le.Decision
	}
	var re *relink.DecisionError
	if errors.As(err, &re) {
		return re.Decision
	}
	var de *roles.DeniedError
	if errors.As(err, &de) {
		return de.Decision
	}
	return nil
}

// problemFor builds the problem for err (never nil). d, when not nil, is
// the refusing decision (else the one err carries); now is the instant the
// decision was made at, for Retry-After.
func problemFor(err error, d decision) Problem {
	k := errkind.Of(err)
	if d == nil {
		d = decisionOf(err)
	}
	p := Problem{Type: ProblemTypeBase + k.String(), Title: kindStatus[k].title, Status: StatusOf(k), Kind: k}
	if k == errkind.Denied {
		d = roleOnly(d)
	}
	if d != nil {
		if b, jerr := d.MarshalJSON(); jerr == nil {
			p.Decision = b
			p.Detail = d.String()
		}
	}
	return p
}

// roleOnly returns the part of a decision a refused user may see: the role
// decision and the reasons that are the role's (kind Denied), never the
// object's eligibility reasons, its deadlines or what time would lift. A
// user whose roles do not allow an action learns nothing of the account
// or Financial Connections account it was about. A decision of a type it
// does not know renders as nothing.
func roleOnly(d decision) decision {
	switch d := d.(type) {
	case links.Decision:
		// links reports a role refusal through its role decision alone.
		if !d.Role.Action.Valid() || d.Role.Allowed {
			return nil
		}
		return d.Role
	case relink.Decision:
		if !d.Reasons.Has(relink.ReasonRoleNotPermitted) {
			return nil
		}
		return relink.Decision{Account: d.Account, Method: d.Method, Reasons: relink.ReasonsOf(relink.ReasonRoleNotPermitted), Role: d.Role}
	case roles.Decision:
		return d
	}
	return nil
}

// retryAfter returns the Retry-After seconds for a decision refused by time
// alone, measured from now (the instant of the decision, from the
// service's clock, never time.Until): rounded up to whole seconds, 0 when
// there is no delay.
func retryAfter(d decision, now time.Time) int64 {
	type delayer interface {
		DelayFrom(time.Time) time.Duration
	}
	dl, ok := d.(delayer)
	if !ok {
		return 0
	}
	w := dl.DelayFrom(now)
	if w <= 0 {
		return 0
	}
	return int64(math.Ceil(w.Seconds()))
}

// writeProblem answers with err as problem+json; d and now as problemFor
// and retryAfter take them.
func writeProblem(w http.ResponseWriter, err error, d decision, now time.Time) {
	p := problemFor(err, d)
	if d == nil {
		d = decisionOf(err)
	}
	if p.Kind == errkind.Denied {
		d = roleOnly(d)
	}
	if s := retryAfter(d, now); s > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(s, 10))
	}
	sendProblem(w, p)
}

// badRequest answers 400 with a fixed message, which must never hold
// anything taken from the request.
func badRequest(w http.ResponseWriter, msg string) {
	sendProblem(w, Problem{Type: ProblemTypeBase + errkind.InvalidInput.String(), Title: kindStatus[errkind.InvalidInput].title,
		Status: http.StatusBadRequest, Detail: msg, Kind: errkind.InvalidInput})
}

func sendProblem(w http.ResponseWriter, p Problem) {
	b, err := json.Marshal(p)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_, _ = w.Write(append(b, '\n'))
}
