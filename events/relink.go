package events

// Every call this package makes into package relink is in this file:
// relink.ParseAccount, relink.ParseSession, Service.ApplyAccountSnapshotAt
// and Service.ApplySessionResultAt.

import (
	"context"
	"strings"
	"time"

	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/snapshot"
)

// applyRelink applies financial_connections.account.* (the FC account's
// snapshot) and financial_connections.session.updated (a relink result)
// through h.Relink.
func (h *Handler) applyRelink(ctx context.Context, r Report, ev Event, now time.Time) (Report, error) {
	switch {
	case ev.Type == FCSessionUpdated:
		if ev.Object.Type != "financial_connections.session" {
			return r, malformed("data.object", "%s wants a financial_connections.session, got %q", ev.Type, clip(ev.Object.Type))
		}
		sess, err := relink.ParseSession(ev.Data)
		if err != nil {
			return r, &ParseError{Member: "data.object", Err: err}
		}
		res, err := h.Relink.ApplySessionResultAt(ctx, sess, ev.Mark(), now)
		if err != nil {
			return r, err
		}
		// A session that closed no request wrote nothing: no final result
		// yet (GA sessions never carry one), or no request it is about.
		// That is not an applied event, on any delivery.
		if res.Verdict == snapshot.Newer {
			switch res.Result {
			case relink.SessionNoResult:
				return unhandled(r, "the session carries no final relink result; nothing was written"), nil
			case relink.SessionNoMatchingRequest:
				return unhandled(r, "no pending relink request matches the session's relink_options; nothing was written"), nil
			}
		}
		r.Outcome = outcomeOf(res.Verdict)
		if r.Outcome == OutcomeApplied {
			r.Changes.RelinkRequest = &RelinkRequestChange{Request: string(res.Request), Result: string(res.Result)}
		}
		return r, nil
	case strings.HasPrefix(string(ev.Type), fcAccountPrefix):
		if ev.Object.Type != "financial_connections.account" {
			return r, malformed("data.object", "%s wants a financial_connections.account, got %q", ev.Type, clip(ev.Object.Type))
		}
		acct, err := relink.ParseAccount(ev.Data)
		if err != nil {
			return r, &ParseError{Member: "data.object", Err: err}
		}
		res, err := h.Relink.ApplyAccountSnapshotAt(ctx, acct, ev.Mark(), now)
		if err != nil {
			return r, err
		}
		r.Outcome = outcomeOf(res.Verdict)
		if r.Outcome == OutcomeApplied {
			r.Changes.FCAccount = &FCAccountChange{Account: string(acct.ID), EligibleBefore: res.EligibleBefore,
				EligibleAfter: res.EligibleAfter, Deadline: res.Deadline}
		}
		return r, nil
	}
	return unhandled(r, "connectkit does not apply this event type"), nil
}
