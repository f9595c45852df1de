package events_test

import "flag"

var update = flag.Bool("update", false, "rewrite testdata/report.golden")
