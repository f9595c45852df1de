package connectkit_test

import (
	"bufio"
	"fmt"
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The rule catalogue, RULES.md, is checked against the code from both sides:
// every rule ID the code, the tests, the tour or the Markdown files cite is
// defined in the catalogue, and every rule in the catalogue has a test
// function named after it. The checker reads only this repository (never
// the design notes outside it) and runs in a few milliseconds.

// catalogueFile is the rule catalogue, at the repository root.
const catalogueFile = "RULES.md"

var (
	// citeRE finds a rule ID cited in a comment, a string literal or a
	// Markdown file: a family letter and one or two digits, standing alone
	// as a word ("L7", "(A3)", "[K3]", "L6–L11"; not "0xA1", "K8s", "P10x").
	citeRE = regexp.MustCompile(`\b[AQLKPE][0-9]{1,2}\b`)
	// wholeIDRE is one rule ID and nothing else: one "_"-separated part of
	// a test function's name, as in TestRemediationLink_L6_ActiveFor90Days.
	wholeIDRE = regexp.MustCompile(`^[AQLKPE][0-9]{1,2}$`)
	// leadingIDRE is a rule ID at the start of a test name's first part,
	// followed by a capital or nothing, as in TestL6ActiveFor90Days.
	leadingIDRE = regexp.MustCompile(`^([AQLKPE][0-9]{1,2})(?:[A-Z]|$)`)
	// headingRE is a rule's heading in RULES.md: "### L6 — what it says".
	headingRE = regexp.MustCompile(`^### ([AQLKPE][0-9]{1,2}) — (\S.*)$`)
	// ruleishRE is a heading that starts like a rule's but is not headingRE.
	ruleishRE = regexp.MustCompile(`^#+ *[AQLKPE][0-9]{1,2}\b`)
	// backtickRE finds `code spans` in a field of RULES.md.
	backtickRE = regexp.MustCompile("`([^`]+)`")
	// seedRE is the file name of a seed, such as 000_86cda7d8fe0cb61a.txt.
	seedRE = regexp.MustCompile(`\b[0-9]{3}_[0-9a-f]{16}\.txt\b`)
)

// catalogueRule is one rule as RULES.md states it.
type catalogueRule struct {
	ID          string
	Line        int    // line of its heading in RULES.md
	Title       string // the heading's text after the ID
	Seed        string // the "- Seed:" field
	Implemented string // the "- Implemented:" field
	Tested      string // the "- Tested:" field
}

// parseCatalogue reads the rules of RULES.md: each starts at a heading
// "### X9 — title" and holds the fields "- Seed:", "- Implemented:" and
// "- Tested:" (a field may continue on indented lines). It reports every
// malformed or duplicated heading and every missing field as a problem.
func parseCatalogue(text string) (rules []catalogueRule, problems []string) {
	var cur *catalogueRule
	var field *string
	flush := func() {
		if cur == nil {
			return
		}
		for _, f := range []struct{ name, val string }{
			{"Seed", cur.Seed}, {"Implemented", cur.Implemented}, {"Tested", cur.Tested},
		} {
			if strings.TrimSpace(f.val) == "" {
				problems = append(problems, fmt.Sprintf("%s:%d: rule %s has no %q field (a line \"- %s: …\")",
					catalogueFile, cur.Line, cur.ID, f.name, f.name))
			}
		}
		rules = append(rules, *cur)
		cur, field = nil, nil
	}
	seen := map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			flush()
			m := headingRE.FindStringSubmatch(line)
			if m == nil {
				if ruleishRE.MatchString(line) {
					problems = append(problems, fmt.Sprintf("%s:%d: rule heading %q is not of the form \"### X9 — what it says\"",
						catalogueFile, n, line))
				}
				continue
			}
			if prev, dup := seen[m[1]]; dup {
				problems = append(problems, fmt.Sprintf("%s:%d: rule %s is defined twice (first at line %d)",
					catalogueFile, n, m[1], prev))
			}
			seen[m[1]] = n
			cur = &catalogueRule{ID: m[1], Line: n, Title: m[2]}
			continue
		}
		if cur == nil {
			continue
		}
		switch {
		case strings.HasPrefix(line, "- Seed:"):
			field = &cur.Seed
		case strings.HasPrefix(line, "- Implemented:"):
			field = &cur.Implemented
		case strings.HasPrefix(line, "- Tested:"):
			field = &cur.Tested
		case strings.HasPrefix(line, "  ") && field != nil:
			*field += " " + strings.TrimSpace(line)
			continue
		default:
			field = nil
			continue
		}
		_, rest, _ := strings.Cut(line, ":")
		*field = strings.TrimSpace(rest)
	}
	flush()
	return rules, problems
}

// citation is one rule ID cited somewhere in the repository.
type citation struct {
	ID    string
	Where string // "path:line"
	In    string // "a comment", "a string", "test name TestX" or "Markdown"
}

// repoScan is what the checker learns from the repository's files.
type repoScan struct {
	cites []citation
	tests map[string]string // test function name → "path:line"
	files map[string]bool   // every file path walked, slash-separated
}

// scanRepo walks the repository from root, skipping testdata and hidden
// directories and the catalogue itself. In .go files it collects the rule
// IDs cited in comments and string literals, the rule IDs in the names of
// Test, Fuzz, Benchmark and Example functions of _test.go files, and the
// names of the Test functions; in Markdown files, every rule ID.
func scanRepo(root string) (repoScan, error) {
	r := repoScan{tests: map[string]string{}, files: map[string]bool{}}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		r.files[rel] = true
		switch {
		case strings.HasSuffix(rel, ".go"):
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return r.scanGo(rel, src)
		case strings.HasSuffix(rel, ".md") && rel != catalogueFile:
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			r.cites = append(r.cites, citesIn(string(src), rel, 1, "Markdown")...)
		}
		return nil
	})
	return r, err
}

// scanGo tokenizes one Go file and records its citations and test names.
func (r *repoScan) scanGo(rel string, src []byte) error {
	fset := token.NewFileSet()
	file := fset.AddFile(rel, -1, len(src))
	var errs scanner.ErrorList
	var s scanner.Scanner
	s.Init(file, src, errs.Add, scanner.ScanComments)
	isTest := strings.HasSuffix(rel, "_test.go")
	prev := token.ILLEGAL
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		line := fset.Position(pos).Line
		switch tok {
		case token.COMMENT:
			r.cites = append(r.cites, citesIn(lit, rel, line, "a comment")...)
		case token.STRING:
			r.cites = append(r.cites, citesIn(lit, rel, line, "a string")...)
		case token.IDENT:
			// A top-level function's name follows "func" directly; a
			// method's receiver puts "(" in between.
			if prev == token.FUNC && isTest {
				where := fmt.Sprintf("%s:%d", rel, line)
				for _, id := range ruleIDsInFuncName(lit) {
					r.cites = append(r.cites, citation{ID: id, Where: where, In: "test name " + lit})
				}
				if strings.HasPrefix(lit, "Test") {
					r.tests[lit] = where
				}
			}
		}
		prev = tok
	}
	if errs.Len() > 0 {
		return fmt.Errorf("%s: %w", rel, errs.Err())
	}
	return nil
}

// citesIn returns the rule IDs cited in text, which starts at line of rel.
func citesIn(text, rel string, line int, in string) []citation {
	var out []citation
	for _, loc := range citeRE.FindAllStringIndex(text, -1) {
		n := line + strings.Count(text[:loc[0]], "\n")
		out = append(out, citation{ID: text[loc[0]:loc[1]], Where: fmt.Sprintf("%s:%d", rel, n), In: in})
	}
	return out
}

// ruleIDsInFuncName returns the rule IDs a Test, Fuzz, Benchmark or Example
// function is named after: each "_"-separated part that is a rule ID
// (TestSet_Q2_Q3_Q7_StateMachine), and a rule ID that opens the name
// (TestL6ActiveFor90Days). Other functions name no rule.
func ruleIDsInFuncName(name string) []string {
	var rest string
	for _, p := range []string{"Test", "Fuzz", "Benchmark", "Example"} {
		if r, ok := strings.CutPrefix(name, p); ok {
			rest = r
			break
		}
	}
	if rest == "" {
		return nil
	}
	var ids []string
	for i, part := range strings.Split(rest, "_") {
		switch {
		case wholeIDRE.MatchString(part):
			ids = append(ids, part)
		case i == 0:
			if m := leadingIDRE.FindStringSubmatch(part); m != nil {
				ids = append(ids, m[1])
			}
		}
	}
	return ids
}

// testsNamedAfter returns the names of the tests named after rule id.
func testsNamedAfter(tests map[string]string, id string) []string {
	var out []string
	for name := range tests {
		if slices.Contains(ruleIDsInFuncName(name), id) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// undefinedCitations reports the rules cited but not defined in the
// catalogue, one line per rule ID with up to five of the places citing it.
func undefinedCitations(rules []catalogueRule, cites []citation) []string {
	defined := map[string]bool{}
	for _, r := range rules {
		defined[r.ID] = true
	}
	var order []string
	where := map[string][]string{}
	for _, c := range cites {
		if defined[c.ID] {
			continue
		}
		if where[c.ID] == nil {
			order = append(order, c.ID)
		}
		where[c.ID] = append(where[c.ID], fmt.Sprintf("%s (in %s)", c.Where, c.In))
	}
	var problems []string
	for _, id := range order {
		w := where[id]
		more := ""
		if len(w) > 5 {
			w, more = w[:5], fmt.Sprintf(", and %d more", len(where[id])-5)
		}
		problems = append(problems, fmt.Sprintf("rule %s is cited %d time(s) but %s does not define it: %s%s",
			id, len(where[id]), catalogueFile, strings.Join(w, ", "), more))
	}
	return problems
}

// untestedRules returns, in catalogue order, the rules that no Test
// function is named after.
func untestedRules(rules []catalogueRule, tests map[string]string) []string {
	var out []string
	for _, r := range rules {
		if len(testsNamedAfter(tests, r.ID)) == 0 {
			out = append(out, r.ID)
		}
	}
	return out
}

// staleReferences reports the tests a rule's Tested field names that do not
// exist, the .go files its Implemented field names that do not exist, and a
// Seed field that names no seed file and does not say where the rule comes
// from instead ("no seed").
func staleReferences(rules []catalogueRule, scan repoScan) []string {
	var problems []string
	for _, r := range rules {
		for _, m := range backtickRE.FindAllStringSubmatch(r.Tested, -1) {
			if name := m[1]; strings.HasPrefix(name, "Test") {
				if _, ok := scan.tests[name]; !ok {
					problems = append(problems, fmt.Sprintf("%s:%d: rule %s lists test %s, which does not exist (renamed or removed?)",
						catalogueFile, r.Line, r.ID, name))
				}
			}
		}
		for _, m := range backtickRE.FindAllStringSubmatch(r.Implemented, -1) {
			if path := m[1]; strings.HasSuffix(path, ".go") && !scan.files[path] {
				problems = append(problems, fmt.Sprintf("%s:%d: rule %s is implemented in %s, which does not exist (moved?)",
					catalogueFile, r.Line, r.ID, path))
			}
		}
		if !seedRE.MatchString(r.Seed) && !strings.Contains(r.Seed, "no seed") {
			problems = append(problems, fmt.Sprintf("%s:%d: rule %s: the Seed field names no seed file (NNN_<hex>.txt) and does not say \"no seed\"",
				catalogueFile, r.Line, r.ID))
		}
	}
	return problems
}

// loadRepo parses the catalogue and scans the repository once for all the
// tests below.
var loadRepo = sync.OnceValues(func() (repoFacts, error) {
	text, err := os.ReadFile(catalogueFile)
	if err != nil {
		return repoFacts{}, err
	}
	rules, problems := parseCatalogue(string(text))
	scan, err := scanRepo(".")
	return repoFacts{rules: rules, parseProblems: problems, scan: scan}, err
})

type repoFacts struct {
	rules         []catalogueRule
	parseProblems []string
	scan          repoScan
}

func mustLoad(t *testing.T) repoFacts {
	t.Helper()
	f, err := loadRepo()
	if err != nil {
		t.Fatal(err)
	}
	if len(f.rules) == 0 {
		t.Fatalf("%s defines no rule: expected headings \"### X9 — what it says\"", catalogueFile)
	}
	return f
}

func reportAll(t *testing.T, what string, problems []string) {
	t.Helper()
	if len(problems) > 0 {
		t.Errorf("%s (%d):\n\t%s", what, len(problems), strings.Join(problems, "\n\t"))
	}
}

func TestRulesCatalogue_IsWellFormed(t *testing.T) {
	f := mustLoad(t)
	reportAll(t, catalogueFile+" is malformed", f.parseProblems)
	reportAll(t, catalogueFile+" points at things that are not there", staleReferences(f.rules, f.scan))
}

func TestRulesCatalogue_DefinesEveryCitedRule(t *testing.T) {
	f := mustLoad(t)
	reportAll(t, "rule IDs cited but not defined in "+catalogueFile+
		" (add the rule to the catalogue, or fix the citation)", undefinedCitations(f.rules, f.scan.cites))
}

func TestRulesCatalogue_EveryRuleHasANamedTest(t *testing.T) {
	f := mustLoad(t)
	if missing := untestedRules(f.rules, f.scan.tests); len(missing) > 0 {
		t.Errorf("%d rule(s) of %s have no test named after them: %s\n"+
			"\twrite a test that asserts what the rule states and name it after the rule, "+
			"TestX_L6_Y or TestL6Y (CONTRIBUTING.md, Tests)",
			len(missing), catalogueFile, strings.Join(missing, ", "))
	}
}

// TestRulesCatalogue_Checker shows the checker itself at work on small
// inputs: what counts as a citation, what a test is named after, and that
// each kind of drift is reported.
func TestRulesCatalogue_Checker(t *testing.T) {
	t.Run("citations", func(t *testing.T) {
		for _, tc := range []struct {
			text string
			want []string
		}{
			{"only the six roles of L7 (see [A3], K3/K4)", []string{"L7", "A3", "K3", "K4"}},
			{"rules L6–L11 and P1-P3", []string{"L6", "L11", "P1", "P3"}},
			{"0xA1 K8s P10x A100 a1 LL7 L7b _Q2_", nil},
			{"two digits: L10 and A10; (Q2)", []string{"L10", "A10", "Q2"}},
		} {
			var got []string
			for _, c := range citesIn(tc.text, "x.go", 1, "comment") {
				got = append(got, c.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("citesIn(%q) (-want +got):\n%s", tc.text, diff)
			}
		}
	})
	t.Run("test names", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			want []string
		}{
			{"TestRemediationLink_L6_ActiveFor90Days", []string{"L6"}},
			{"TestSet_Q2_Q3_Q7_StateMachine", []string{"Q2", "Q3", "Q7"}},
			{"TestCreate_A3", []string{"A3"}},
			{"TestL6ActiveFor90Days", []string{"L6"}},
			{"TestA10", []string{"A10"}},
			{"FuzzParse_K1", []string{"K1"}},
			{"TestAccount_Valid", nil},
			{"TestP1x", nil},
			{"TestMemStore", nil},
			{"helper_L6_", nil},
		} {
			if diff := cmp.Diff(tc.want, ruleIDsInFuncName(tc.name)); diff != "" {
				t.Errorf("ruleIDsInFuncName(%q) (-want +got):\n%s", tc.name, diff)
			}
		}
	})
	t.Run("go files", func(t *testing.T) {
		src := "package p\n\n// Rule L6, and\n// also K3.\nfunc TestX_A7_Y(t *testing.T) { _ = \"P2\"; var L9 = 1; _ = 0xA1 }\nfunc (s S) TestZ_Q4() {}\n"
		r := repoScan{tests: map[string]string{}, files: map[string]bool{}}
		if err := r.scanGo("p/p_test.go", []byte(src)); err != nil {
			t.Fatal(err)
		}
		want := []citation{
			{"L6", "p/p_test.go:3", "a comment"},
			{"K3", "p/p_test.go:4", "a comment"},
			{"A7", "p/p_test.go:5", "test name TestX_A7_Y"},
			{"P2", "p/p_test.go:5", "a string"},
		}
		if diff := cmp.Diff(want, r.cites); diff != "" {
			t.Errorf("citations (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[string]string{"TestX_A7_Y": "p/p_test.go:5"}, r.tests); diff != "" {
			t.Errorf("tests (-want +got):\n%s", diff)
		}
	})
	t.Run("drift is reported", func(t *testing.T) {
		cat := "# Rules\n\n### L6 — links last\n\n- Seed: `000_86cda7d8fe0cb61a.txt`\n" +
			"- Implemented: `links/remediation.go`\n- Tested: `TestRemediationLink_L6_Gone`\n\n" +
			"### L7 — who may\n\n- Seed: no seed\n- Implemented: `links/gone.go`\n\n" +
			"### L6 — again\n- Seed: x\n- Implemented: x\n- Tested: x\n### L8 is wrong\n## L9: neither\n"
		rules, problems := parseCatalogue(cat)
		wantProblems := []string{
			`RULES.md:9: rule L7 has no "Tested" field (a line "- Tested: …")`,
			"RULES.md:14: rule L6 is defined twice (first at line 3)",
			`RULES.md:18: rule heading "### L8 is wrong" is not of the form "### X9 — what it says"`,
			`RULES.md:19: rule heading "## L9: neither" is not of the form "### X9 — what it says"`,
		}
		if diff := cmp.Diff(wantProblems, problems); diff != "" {
			t.Errorf("parse problems (-want +got):\n%s", diff)
		}
		scan := repoScan{
			tests: map[string]string{"TestRemediationLink_L7_Who": "links/x_test.go:1"},
			files: map[string]bool{"links/remediation.go": true},
			cites: []citation{{"L7", "a.go:1", "a comment"}, {"A3", "b.go:2", "a string"}, {"A3", "c.go:3", "Markdown"}},
		}
		wantStale := []string{
			"RULES.md:3: rule L6 lists test TestRemediationLink_L6_Gone, which does not exist (renamed or removed?)",
			"RULES.md:9: rule L7 is implemented in links/gone.go, which does not exist (moved?)",
			`RULES.md:14: rule L6: the Seed field names no seed file (NNN_<hex>.txt) and does not say "no seed"`,
		}
		if diff := cmp.Diff(wantStale, staleReferences(rules, scan)); diff != "" {
			t.Errorf("stale references (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"rule A3 is cited 2 time(s) but RULES.md does not define it: b.go:2 (in a string), c.go:3 (in Markdown)"},
			undefinedCitations(rules, scan.cites)); diff != "" {
			t.Errorf("undefined citations (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"L6", "L6"}, untestedRules(rules, scan.tests)); diff != "" {
			t.Errorf("untested rules (-want +got):\n%s", diff)
		}
	})
}
