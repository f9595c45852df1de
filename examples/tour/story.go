package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

// t0 is the instant the story starts at.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// story carries the fake clock and the writer through the chapters.
type story struct {
	w     io.Writer
	clock *clocktest.Fake
	err   error

	accounts *account.Service
	links    *links.Service
}

func newStory(w io.Writer) *story {
	return &story{w: w, clock: clocktest.New(t0)}
}

func (s *story) printf(format string, args ...any) {
	if s.err != nil {
		return
	}
	_, s.err = fmt.Fprintf(s.w, format, args...)
}

// intro explains the tags before the first chapter.
func (s *story) intro() {
	s.printf("connectkit tour. A tag such as [L7] or [L6,L8] names the rules (see RULES.md)\n")
	s.printf("that decided the line: A accounts, Q requirements, L links, K relink, P roles.\n")
	s.printf("Where the line prints a decision, the tag is the rules of that decision's own\n")
	s.printf("reasons (and of the role check, when the user's roles refused). Untagged lines\n")
	s.printf("are narration; \"...\" lines move the fake clock.\n")
}

func (s *story) heading(name string) {
	title := strings.ToUpper(name[:1]) + name[1:]
	s.printf("\n== %s ==\n", title)
}

// step prints one decided step: the rule that decided it and what happened.
func (s *story) step(rule, format string, args ...any) {
	s.printf("  [%-5s] %s\n", rule, fmt.Sprintf(format, args...))
}

// note prints narration that no rule decided.
func (s *story) note(format string, args ...any) {
	s.printf("  %s\n", fmt.Sprintf(format, args...))
}

// advance moves the fake clock and says so.
func (s *story) advance(d time.Duration, why string) {
	now, _ := s.clock.Advance(d)
	s.printf("  ... %s later (%s): %s\n", d, why, now.Format("2006-01-02 15:04:05"))
}

// families is the catalogue's order of rule families (RULES.md).
const families = "AQLKPE"

// tag joins rule IDs for a step, each once, in catalogue order (family,
// then number): tag("L8", "L6", "L8") is "L6,L8". Empty IDs are skipped.
func tag(ids ...string) string {
	var out []string
	for _, id := range ids {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		if c := cmp.Compare(strings.IndexByte(families, a[0]), strings.IndexByte(families, b[0])); c != 0 {
			return c
		}
		na, _ := strconv.Atoi(a[1:])
		nb, _ := strconv.Atoi(b[1:])
		return cmp.Compare(na, nb)
	})
	return strings.Join(out, ",")
}

// roleRule is the rule of a role check that refused (the gated action's
// rule, such as A3 or K3); empty when roles were not weighed or allowed.
func roleRule(d roles.Decision) string {
	if d.Action == 0 || d.Allowed {
		return ""
	}
	return d.Rule()
}

// accountTag is the tag of an account decision: its operation's rule when
// allowed, otherwise the rules of its reasons and of its role check.
func accountTag(d account.Decision) string {
	if d.Allowed {
		return d.Op.Rule()
	}
	return tag(append(d.Reasons.Rules(), roleRule(d.Role))...)
}

// relinkTag is the tag of a refusing relink decision: the rules of its
// reasons and of its role check.
func relinkTag(d relink.Decision) string {
	return tag(append(d.Reasons.Rules(), roleRule(d.Role))...)
}

// linksTag is the tag of an error from the links service: the rules of the
// refusing decision it carries; empty for an error that carries none.
func linksTag(err error) string {
	var de *links.DecisionError
	if !errors.As(err, &de) {
		return ""
	}
	return tag(append(de.Decision.Reasons.Rules(), roleRule(de.Decision.Role))...)
}
