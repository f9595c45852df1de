// Command results reads `go test -bench` output (several counts of each
// benchmark) on standard input and writes a Markdown table of medians to
// standard output: ns/op, B/op, allocs/op and, for each row, its ratio to
// the connectkit row of the same group. A row's engine is the last element
// of its name (BenchmarkPermission/cedar-go, BenchmarkDecodeAccount/n=100/
// stripe-go); the rest is its group. Flags name the machine facts to
// print in the header.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

type sample struct{ ns, bytes, allocs float64 }

type row struct {
	name, group, engine string
	samples             []sample
}

// line matches "BenchmarkX/sub-2   123   45.6 ns/op ...".
var line = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func parse(r io.Reader) ([]*row, error) {
	byName := map[string]*row{}
	var order []*row
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		var s sample
		f := strings.Fields(m[2])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				s.ns = v
			case "B/op":
				s.bytes = v
			case "allocs/op":
				s.allocs = v
			}
		}
		rw := byName[m[1]]
		if rw == nil {
			name := strings.TrimPrefix(m[1], "Benchmark")
			i := strings.LastIndex(name, "/")
			rw = &row{name: name, group: name, engine: ""}
			if i >= 0 {
				rw.group, rw.engine = name[:i], name[i+1:]
			}
			byName[m[1]] = rw
			order = append(order, rw)
		}
		rw.samples = append(rw.samples, s)
	}
	return order, sc.Err()
}

func median(xs []float64) float64 {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	n := len(xs)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

func med(rw *row, f func(sample) float64) float64 {
	var xs []float64
	for _, s := range rw.samples {
		xs = append(xs, f(s))
	}
	return median(xs)
}

func ns(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2f ms", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%.1f µs", v/1e3)
	case v >= 100:
		return fmt.Sprintf("%.0f ns", v)
	}
	return fmt.Sprintf("%.2f ns", v)
}

func main() {
	machine := flag.String("machine", "", "machine description")
	goVersion := flag.String("go", "", "go version")
	date := flag.String("date", "", "date of the run")
	load := flag.String("load", "", "load average before and after")
	count := flag.Int("count", 5, "runs per benchmark")
	flag.Parse()
	rows, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "results:", err)
		os.Exit(1)
	}
	if len(rows) == 0 {
		fmt.Fprintln(os.Stderr, "results: no benchmark lines on standard input")
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprintf(w, "# connectkit beside its peers\n\n")
	fmt.Fprintf(w, "Written by `bench/run.sh`; do not edit. Every row ran in one `go test -bench` run, %d times; each figure is the median.\n\n", *count)
	fmt.Fprintf(w, "- machine: %s\n- Go: %s\n- date: %s\n- load average (1, 5, 15 min) before / after: %s\n\n", *machine, *goVersion, *date, *load)
	fmt.Fprintf(w, "The ratio is the row's ns/op over connectkit's in the same group: above 1× the peer is slower.\n")
	fmt.Fprintf(w, "The machine may be shared; compare rows of one run, not runs.\n\n")
	var group string
	connectkit := map[string]float64{}
	for _, rw := range rows {
		if rw.engine == "connectkit" {
			connectkit[rw.group] = med(rw, func(s sample) float64 { return s.ns })
		}
	}
	for _, rw := range rows {
		top := strings.SplitN(rw.group, "/", 2)[0]
		if top != group {
			group = top
			fmt.Fprintf(w, "\n## %s\n\n| row | ns/op | B/op | allocs/op | ratio to connectkit |\n|---|---:|---:|---:|---:|\n", top)
		}
		n := med(rw, func(s sample) float64 { return s.ns })
		ratio := ""
		if c, ok := connectkit[rw.group]; ok && c > 0 {
			ratio = fmt.Sprintf("%.1f×", n/c)
		}
		fmt.Fprintf(w, "| %s | %s | %.0f | %.0f | %s |\n", rw.name, ns(n),
			med(rw, func(s sample) float64 { return s.bytes }), med(rw, func(s sample) float64 { return s.allocs }), ratio)
	}
}
