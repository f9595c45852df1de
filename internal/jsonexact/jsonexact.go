// Package jsonexact checks JSON for the text encoding/json would decode
// lossily or ambiguously, and reads objects by exact member name.
// encoding/json matches a struct's fields to member names ignoring case
// (and folding "ſ" to "s", "K" to "k"), turns invalid UTF-8 and escaped
// lone surrogates into U+FFFD, and lets the last of two members with one
// name win; connectkit's wire decoders (requirements, relink, events) run
// Check once over their input instead, then read members by exact name.
package jsonexact

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
)

// DefaultMaxDepth is encoding/json's limit on nested arrays and objects,
// the depth Check allows when Options.MaxDepth is 0.
const DefaultMaxDepth = 10000

// Options say what Check refuses beyond what json.Valid refuses. The zero
// value refuses what json.Valid does, and invalid UTF-8, lone surrogates,
// members sent twice and nesting deeper than DefaultMaxDepth.
type Options struct {
	// RefuseNUL refuses NUL in strings, as the escape \u0000 (PostgreSQL
	// text and jsonb cannot store it; a raw NUL byte is malformed JSON).
	RefuseNUL bool
	// MaxDepth bounds the nesting of arrays and objects; 0 means
	// DefaultMaxDepth.
	MaxDepth int
	// Arrays, when not nil, gets every array of valid input appended, in
	// the order they open, with its offset and number of elements: a
	// decoder that reads the input again can then size each slice without
	// counting its elements first.
	Arrays *[]Array
}

// Array is an array Check met: the offset of its '[' in the input and the
// number of its elements.
type Array struct {
	Offset, Len int
}

// Kind says what Check found.
type Kind uint8

// The problems Check finds.
const (
	// Malformed is text json.Valid refuses (other than by depth).
	Malformed Kind = iota + 1
	// InvalidUTF8 is a byte sequence that is not UTF-8.
	InvalidUTF8
	// LoneSurrogate is a \u escape of a UTF-16 surrogate that is not a
	// high surrogate directly followed by an escaped low one (\ud800):
	// encoding/json reads it as U+FFFD, so two texts would collide.
	LoneSurrogate
	// Duplicate is an object with a member name twice (names compared
	// once unescaped, so "id" and "\u0069d" are the same): the last would
	// silently win.
	Duplicate
	// NUL is the escape \u0000 (or a raw NUL byte) under RefuseNUL.
	NUL
	// TooDeep is nesting deeper than the depth allowed.
	TooDeep
)

// String names the kind in a few words.
func (k Kind) String() string {
	switch k {
	case Malformed:
		return "malformed JSON"
	case InvalidUTF8:
		return "invalid UTF-8"
	case LoneSurrogate:
		return "escaped lone UTF-16 surrogate"
	case Duplicate:
		return "member sent twice"
	case NUL:
		return "NUL"
	case TooDeep:
		return "nested too deep"
	}
	return "unknown problem " + strconv.Itoa(int(k))
}

// Error is what Check found, and where.
type Error struct {
	// Kind is the problem.
	Kind Kind
	// Offset is the byte offset in the input where it was found.
	Offset int
	// Name is the member sent twice (Duplicate), unescaped.
	Name string
}

// Error implements error.
func (e *Error) Error() string {
	s := e.Kind.String()
	if e.Kind == Duplicate {
		s = "member " + Clip(e.Name) + " sent twice"
	}
	return s + " at offset " + strconv.Itoa(e.Offset)
}

// Check reports, as an *Error, the first problem in data: anything
// json.Valid refuses (one JSON value, optional space around it), invalid
// UTF-8 anywhere, an escaped lone surrogate, an object with a member name
// twice at any depth, nesting deeper than o.MaxDepth, and (o.RefuseNUL)
// NUL. It returns nil otherwise. One pass, time linear in len(data) (an
// object of k members costs k log k to check for duplicates once it has
// more than a few), and it does not allocate on valid input.
func Check(data []byte, o Options) error {
	c := pool.Get().(*checker)
	c.data, c.opts = data, o
	if c.opts.MaxDepth <= 0 {
		c.opts.MaxDepth = DefaultMaxDepth
	}
	i := c.value(skipSpace(data, 0), 0)
	if c.err == nil && skipSpace(data, i) != len(data) {
		c.fail(Malformed, skipSpace(data, i))
	}
	err := c.err
	c.data, c.opts, c.err, c.names, c.arena = nil, Options{}, nil, c.names[:0], c.arena[:0]
	pool.Put(c)
	if err != nil {
		return err
	}
	return nil
}

// pool holds checkers, so that their scratch space (member names of the
// open objects) is reused: Check does not allocate in steady state.
var pool = sync.Pool{New: func() any { return new(checker) }}

type checker struct {
	data []byte
	opts Options
	err  *Error
	// names are the member names of the objects open, innermost last.
	names []name
	// arena holds the unescaped names of those with escapes.
	arena []byte
}

// name is a member name: data[start:end], or arena[start:end] if escaped.
type name struct {
	hash       uint64
	start, end int
	escaped    bool
}

func (c *checker) fail(k Kind, at int) int {
	if c.err == nil {
		c.err = &Error{Kind: k, Offset: at}
	}
	return len(c.data)
}

func skipSpace(d []byte, i int) int {
	for i < len(d) && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r') {
		i++
	}
	return i
}

// value checks the value at data[i] and returns the index past it; on a
// problem it records it and returns len(data).
func (c *checker) value(i, depth int) int {
	d := c.data
	if i >= len(d) {
		return c.fail(Malformed, i)
	}
	switch ch := d[i]; {
	case ch == '{':
		return c.object(i, depth)
	case ch == '[':
		if depth >= c.opts.MaxDepth {
			return c.fail(TooDeep, i)
		}
		k := -1
		if c.opts.Arrays != nil {
			k = len(*c.opts.Arrays)
			*c.opts.Arrays = append(*c.opts.Arrays, Array{Offset: i})
		}
		i = skipSpace(d, i+1)
		if i < len(d) && d[i] == ']' {
			return i + 1
		}
		for n := 1; ; n++ {
			i = skipSpace(d, c.value(i, depth+1))
			if c.err != nil {
				return len(d)
			}
			if i >= len(d) {
				return c.fail(Malformed, i)
			}
			switch d[i] {
			case ']':
				if k >= 0 {
					(*c.opts.Arrays)[k].Len = n
				}
				return i + 1
			case ',':
				i = skipSpace(d, i+1)
			default:
				return c.fail(Malformed, i)
			}
		}
	case ch == '"':
		j, _ := c.str(i)
		return j
	case ch == 't':
		return c.literal(i, "true")
	case ch == 'f':
		return c.literal(i, "false")
	case ch == 'n':
		return c.literal(i, "null")
	case ch == '-' || ch >= '0' && ch <= '9':
		return c.number(i)
	}
	return c.other(i)
}

// other reports the byte at data[i], which starts no JSON value.
func (c *checker) other(i int) int {
	d := c.data
	switch {
	case d[i] == 0 && c.opts.RefuseNUL:
		return c.fail(NUL, i)
	case d[i] >= utf8.RuneSelf:
		if r, size := utf8.DecodeRune(d[i:]); r == utf8.RuneError && size <= 1 {
			return c.fail(InvalidUTF8, i)
		}
	}
	return c.fail(Malformed, i)
}

func (c *checker) literal(i int, lit string) int {
	if len(c.data)-i >= len(lit) && string(c.data[i:i+len(lit)]) == lit {
		return i + len(lit)
	}
	return c.fail(Malformed, i)
}

// object checks the object at data[i], its member names unique.
func (c *checker) object(i, depth int) int {
	d := c.data
	if depth >= c.opts.MaxDepth {
		return c.fail(TooDeep, i)
	}
	base, arena := len(c.names), len(c.arena)
	defer func() { c.names, c.arena = c.names[:base], c.arena[:arena] }()
	i = skipSpace(d, i+1)
	if i < len(d) && d[i] == '}' {
		return i + 1
	}
	for {
		if i >= len(d) || d[i] != '"' {
			return c.fail(Malformed, i)
		}
		j, escaped := c.str(i)
		if c.err != nil {
			return len(d)
		}
		n := name{start: i + 1, end: j - 1}
		if escaped {
			n.start = len(c.arena)
			c.arena = unescape(c.arena, d[i+1:j-1])
			n.end, n.escaped = len(c.arena), true
		}
		n.hash = fnv(c.bytes(n))
		c.names = append(c.names, n)
		i = skipSpace(d, j)
		if i >= len(d) || d[i] != ':' {
			return c.fail(Malformed, i)
		}
		i = skipSpace(d, c.value(skipSpace(d, i+1), depth+1))
		if c.err != nil {
			return len(d)
		}
		if i >= len(d) {
			return c.fail(Malformed, i)
		}
		switch d[i] {
		case '}':
			if dup, ok := c.duplicate(c.names[base:]); ok {
				c.fail(Duplicate, i)
				c.err.Name = string(c.bytes(dup))
				return len(d)
			}
			return i + 1
		case ',':
			i = skipSpace(d, i+1)
		default:
			return c.fail(Malformed, i)
		}
	}
}

func (c *checker) bytes(n name) []byte {
	if n.escaped {
		return c.arena[n.start:n.end]
	}
	return c.data[n.start:n.end]
}

// duplicate returns a name ns holds twice: pairwise for a few names, by
// sorting on the hash for more (ns is this object's part of c.names, free
// to reorder).
func (c *checker) duplicate(ns []name) (name, bool) {
	if len(ns) <= 8 {
		for a := 1; a < len(ns); a++ {
			for b := range a {
				if ns[a].hash == ns[b].hash && string(c.bytes(ns[a])) == string(c.bytes(ns[b])) {
					return ns[a], true
				}
			}
		}
		return name{}, false
	}
	slices.SortFunc(ns, func(a, b name) int {
		switch {
		case a.hash < b.hash:
			return -1
		case a.hash > b.hash:
			return 1
		}
		return 0
	})
	for a := 1; a < len(ns); a++ {
		for b := a - 1; b >= 0 && ns[b].hash == ns[a].hash; b-- {
			if string(c.bytes(ns[a])) == string(c.bytes(ns[b])) {
				return ns[a], true
			}
		}
	}
	return name{}, false
}

// fnv is 64-bit FNV-1a.
func fnv(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, x := range b {
		h = (h ^ uint64(x)) * 1099511628211
	}
	return h
}

// str checks the string whose opening quote is data[i] and returns the
// index past its closing quote and whether it has an escape.
func (c *checker) str(i int) (int, bool) {
	d := c.data
	escaped := false
	for i++; i < len(d); {
		ch := d[i]
		switch {
		case ch == '"':
			return i + 1, escaped
		case ch == '\\':
			escaped = true
			if i+1 >= len(d) {
				return c.fail(Malformed, i), escaped
			}
			switch d[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				r, ok := hex4(d, i+2)
				if !ok {
					return c.fail(Malformed, i), escaped
				}
				switch {
				case r == 0 && c.opts.RefuseNUL:
					return c.fail(NUL, i), escaped
				case r >= 0xDC00 && r <= 0xDFFF:
					return c.fail(LoneSurrogate, i), escaped
				case r >= 0xD800 && r <= 0xDBFF:
					lo, ok := rune(0), i+7 < len(d) && d[i+6] == '\\' && d[i+7] == 'u'
					if ok {
						lo, ok = hex4(d, i+8)
					}
					if !ok || lo < 0xDC00 || lo > 0xDFFF {
						return c.fail(LoneSurrogate, i), escaped
					}
					i += 12
				default:
					i += 6
				}
			default:
				return c.fail(Malformed, i), escaped
			}
		case ch < 0x20:
			if ch == 0 && c.opts.RefuseNUL {
				return c.fail(NUL, i), escaped
			}
			return c.fail(Malformed, i), escaped
		case ch < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && size <= 1 {
				return c.fail(InvalidUTF8, i), escaped
			}
			i += size
		}
	}
	return c.fail(Malformed, i), escaped
}

// number checks -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? at data[i].
func (c *checker) number(i int) int {
	d := c.data
	start := i
	digits := func(i int) (int, bool) {
		j := i
		for j < len(d) && d[j] >= '0' && d[j] <= '9' {
			j++
		}
		return j, j > i
	}
	if d[i] == '-' {
		i++
	}
	var ok bool
	switch {
	case i < len(d) && d[i] == '0':
		i++
	default:
		if i, ok = digits(i); !ok {
			return c.fail(Malformed, start)
		}
	}
	if i < len(d) && d[i] == '.' {
		if i, ok = digits(i + 1); !ok {
			return c.fail(Malformed, start)
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i, ok = digits(i); !ok {
			return c.fail(Malformed, start)
		}
	}
	return i
}

// hex4 reads four hex digits at data[i:].
func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// unescape appends the text of the JSON string body s (checked: no lone
// surrogate, every escape valid) to dst, unescaped.
func unescape(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			dst = append(dst, s[i])
			i++
			continue
		}
		switch s[i+1] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, _ := hex4(s, i+2)
			if r >= 0xD800 && r <= 0xDBFF {
				lo, _ := hex4(s, i+8)
				r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
				i += 6
			}
			dst = utf8.AppendRune(dst, r)
			i += 6
			continue
		default: // " \ /
			dst = append(dst, s[i+1])
		}
		i += 2
	}
	return dst
}

// Clip bounds text quoted in an error: at most 64 bytes, JSON-quoted.
func Clip(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// Members decodes raw, a JSON object or null, into its members by exact
// name: nil for null; an error for anything else, and for anything Check
// (zero Options) refuses, a member sent twice included. The values alias
// raw (copy one before changing raw). It checks raw with Check, then
// splits it without parsing it again: one allocation per member name
// without escapes, and the map.
func Members(raw []byte) (map[string]json.RawMessage, error) {
	if err := Check(raw, Options{}); err != nil {
		var all map[string]json.RawMessage
		if jerr := json.Unmarshal(raw, &all); jerr != nil {
			return nil, jerr // encoding/json's words for malformed JSON
		}
		return nil, err
	}
	i := skipSpace(raw, 0)
	if raw[i] != '{' {
		var all map[string]json.RawMessage
		return all, json.Unmarshal(raw, &all) // null, or the type error
	}
	all := make(map[string]json.RawMessage)
	i = skipSpace(raw, i+1)
	for raw[i] != '}' {
		j := skipString(raw, i)
		var name string
		if b := raw[i+1 : j-1]; bytes.IndexByte(b, '\\') < 0 {
			name = string(b)
		} else {
			name = string(unescape(nil, b))
		}
		i = skipSpace(raw, skipSpace(raw, j)+1) // past the colon
		j = skipValue(raw, i)
		all[name] = raw[i:j:j]
		i = skipSpace(raw, j)
		if raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return all, nil
}

// skipString returns the index past the string whose opening quote is
// d[i], in checked JSON.
func skipString(d []byte, i int) int {
	for i++; d[i] != '"'; i++ {
		if d[i] == '\\' {
			i++
		}
	}
	return i + 1
}

// skipValue returns the index past the value at d[i], in checked JSON.
func skipValue(d []byte, i int) int {
	switch d[i] {
	case '"':
		return skipString(d, i)
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch d[i] {
			case '"':
				i = skipString(d, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
	}
	for i < len(d) && d[i] != ',' && d[i] != '}' && d[i] != ']' && d[i] != ' ' && d[i] != '\t' && d[i] != '\n' && d[i] != '\r' {
		i++
	}
	return i
}
