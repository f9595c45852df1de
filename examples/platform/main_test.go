package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

const pgCommand = "cd examples/pgstore && go run ./cmd/platform -dsn"

// TestHelpSaysWhereThePostgreSQLServerIs: -h documents that this command
// serves memory only and gives the command that serves PostgreSQL.
func TestHelpSaysWhereThePostgreSQLServerIs(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, &out, &out); code != 0 || !strings.Contains(out.String(), pgCommand) || !strings.Contains(out.String(), "in-memory stores only") {
		t.Fatalf("-h: exit %d:\n%s", code, out.String())
	}
}

// TestDSNPointsToThePgstoreCommandWithoutEchoingIt: -dsn exits 2 with the
// pointer, and never repeats the DSN (it may hold a password).
func TestDSNPointsToThePgstoreCommandWithoutEchoingIt(t *testing.T) {
	var out bytes.Buffer
	code := run(context.Background(), []string{"-dsn", "postgres://ada:hunter2@db.internal/app"}, &out, &out)
	if code != 2 || !strings.Contains(out.String(), pgCommand) || strings.Contains(out.String(), "hunter2") {
		t.Fatalf("-dsn: exit %d:\n%s", code, out.String())
	}
}
