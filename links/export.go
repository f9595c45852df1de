package links

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/roles"
)

// ExportRow is one account's line in a bulk export of remediation links
// (L11): the link, or why it could not be generated.
type ExportRow struct {
	// Account is the account the row is about.
	Account account.ID
	// Link is the account's remediation link; zero when none was
	// generated.
	Link RemediationLink
	// Token opens Link; zero when none was generated.
	Token Token
	// New reports that the link was made by this export rather than being
	// the account's active one.
	New bool
	// URL is Service.RemediationLinkURL built with Token; empty when the
	// Service has no template or no link was generated.
	URL string
	// Decision is the refusal when the link could not be generated: it
	// names every missing item (L8). Allowed when a link was generated or
	// when Err is set.
	Decision Decision
	// Err is a storage fault for this account; the export carries on.
	Err error
}

// OK reports whether the row holds a link.
func (r ExportRow) OK() bool { return r.Err == nil && r.Decision.Allowed && !r.Token.IsZero() }

// ExportSummary counts an export's rows.
type ExportSummary struct {
	// Rows is the number of rows emitted.
	Rows int
	// New and Reused count rows with a link, made now or already active.
	New, Reused int
	// Refused counts rows whose decision refused.
	Refused int
	// Failed counts rows with a storage fault.
	Failed int
}

// ExportRemediationLinks generates a remediation link for every account the
// sequence yields, on behalf of u, and hands emit one row per account, in
// order (L11). Filtering is the caller's: pass the filtered accounts. The
// user's roles must allow roles.ExportRemediationLinks, else nothing is
// emitted and the refusal is a *DecisionError matching ErrDenied. A refused
// account or a storage fault for one account becomes that account's row and
// the export carries on: it stops early only when ctx is cancelled or emit
// returns an error, which are returned. It holds one row at a time, so it
// streams any number of accounts.
//
// ExportRemediationLinks is shorthand for ExportRemediationLinksAt(ctx, u,
// accounts, emit, s.Clock.Now()).
func (s *Service) ExportRemediationLinks(ctx context.Context, u roles.User, accounts iter.Seq[account.Account], emit func(ExportRow) error) (ExportSummary, error) {
	return s.ExportRemediationLinksAt(ctx, u, accounts, emit, s.now())
}

// ExportRemediationLinksAt is ExportRemediationLinks with every link
// generated at now.
func (s *Service) ExportRemediationLinksAt(ctx context.Context, u roles.User, accounts iter.Seq[account.Account], emit func(ExportRow) error, now time.Time) (ExportSummary, error) {
	var sum ExportSummary
	if err := s.checkAt(now); err != nil {
		return sum, err
	}
	if accounts == nil || emit == nil {
		return sum, fmt.Errorf("%w: export needs accounts and emit", ErrInvalid)
	}
	if err := validActor(u); err != nil {
		return sum, err
	}
	p := s.policy()
	if rd := p.Check(u.Roles, roles.ExportRemediationLinks); !rd.Allowed {
		return sum, decide(OpExportRemediationLinks, 0).withRole(rd).Err()
	}
	for a := range accounts {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		row := ExportRow{Account: a.ID}
		d := CanGenerateRemediationLink(p, u.Roles, a)
		var err error
		if err = validInputs(u, a.ID); err == nil && d.Allowed {
			// The caller's copy may predate a removal (A6).
			var rd Decision
			rd, err = s.removed(ctx, OpGenerateRemediationLink, a.ID)
			if err == nil && !rd.Allowed {
				role := d.Role
				d = decide(OpGenerateRemediationLink, rd.Reasons)
				d.Role = role
			}
		}
		switch {
		case err != nil:
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return sum, err
			}
			row.Decision = decide(OpGenerateRemediationLink, 0)
			row.Decision.Role = d.Role
			row.Err = err
			sum.Failed++
		case !d.Allowed:
			row.Decision = d
			sum.Refused++
		default:
			row.Decision = d
			got, err := s.generate(ctx, u, a.ID, now)
			switch {
			case err != nil:
				if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
					return sum, err
				}
				row.Err = err
				sum.Failed++
			default:
				row.Link, row.Token, row.New, row.URL = got.Link, got.Token, got.New, got.URL
				if got.New {
					sum.New++
				} else {
					sum.Reused++
				}
			}
		}
		sum.Rows++
		if err := emit(row); err != nil {
			return sum, err
		}
	}
	return sum, nil
}
