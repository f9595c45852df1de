// Command tour walks a newcomer through connectkit with a fake clock and
// prints the story: accounts of each dashboard type, requirements falling
// past due, account links, remediation links with a lockout, a relink
// campaign, funds, and the team roles that gate it all. Every step is tagged
// with the rules, by ID, that decided it (see RULES.md, the rule catalogue);
// the first printed lines explain the tags.
//
// Run it with:
//
//	go run ./examples/tour
//
// The output is deterministic: the clock is fake and link tokens come from a
// seeded source, so the same flags print the same story.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	fs := flag.NewFlagSet("tour", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	only := fs.String("chapter", "", "print only the chapters whose names start with this (e.g. \"funds\"); empty prints all")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: go run ./examples/tour [-chapter NAME]\n\n"+
			"A deterministic, printed walk through connectkit: each step says which\n"+
			"rule (by ID, e.g. L7) decided it. Chapters: %s.\n\nFlags:\n", chapterNames())
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if err == flag.ErrHelp {
			return
		}
		os.Exit(2)
	}
	if err := run(os.Stdout, *only); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}

// chapter is one part of the story.
type chapter struct {
	name string
	run  func(*story) error
}

// chapters lists the story in the order it is told.
var chapters = []chapter{
	{"roles", rolesChapter},
	{"accounts", accountsChapter},
	{"requirements", requirementsChapter},
	{"onboarding", onboardingChapter},
	{"remediation", remediationChapter},
	{"funds", fundsChapter},
	{"relink", relinkChapter},
	{"events", eventsChapter},
}

func chapterNames() string {
	s := ""
	for i, c := range chapters {
		if i > 0 {
			s += ", "
		}
		s += c.name
	}
	return s
}

// run tells the story to w; only, when not empty, selects chapters by name
// prefix. Chapters build on the ones before them, so unselected chapters
// still run, silently.
func run(w io.Writer, only string) error {
	st := newStory(w)
	st.intro()
	told := 0
	for _, c := range chapters {
		st.w = w
		if only != "" && !hasPrefix(c.name, only) {
			st.w = io.Discard
		} else {
			told++
		}
		st.heading(c.name)
		if err := c.run(st); err != nil {
			return fmt.Errorf("chapter %s: %w", c.name, err)
		}
	}
	if told == 0 {
		return fmt.Errorf("no chapter named %q (chapters: %s)", only, chapterNames())
	}
	return st.err
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
