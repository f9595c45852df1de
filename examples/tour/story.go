package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/links"
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
