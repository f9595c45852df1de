package jsonexact

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

var seeds = []string{
	`{}`, `null`, `[]`, `"x"`, `12`, `-3`, `1e3`, `1.5`, `true`, `false`, `{"a":1,"a":2}`, `{"a\u0062":"c","ab":1}`,
	`{"x":[1,{"y":"]}"}],"z":"\"}"}`, ` { "k" : [ "a" , "b\n" ] } `, `["a","b\u00e9",null,"\u0000"]`,
	`["é","\ud83d\ude00"]`, `"\ud800"`, `"\udc00"`, `"\ud800\u0041"`, `"\ud800\ud800"`, `{"\ud83d\ude00":1,"😀":2}`,
	`{"a":{"a":1},"b":{"a":1}}`, `{"a":{"b":1,"b":2}}`, "\"\xff\"", "{\"\xc3\":1}", `[1,]`, `{"a":1,}`, `01`, `-`, `1.`,
	`{"a" 1}`, `[1 2]`, `"\x"`, `"\u12"`, "\"a\tb\"", `{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k3":3}`,
	`{"\/":1,"/":2}`, `{"\"":1}`, ` `, ``, `[[[]]]`, `{"a":[{"b":{"c":[]}}]}`, "nul", "\x00", `"a\u0000"`,
}

// lone reports, as encoding/json's token reader cannot, whether a string
// in data has an escaped lone surrogate: the reference for Check.
func lone(data []byte) bool {
	inStr := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if !inStr {
			inStr = c == '"'
			continue
		}
		switch c {
		case '"':
			inStr = false
		case '\\':
			if i+1 < len(data) && data[i+1] == 'u' {
				if r, ok := hex4(data, i+2); ok {
					switch {
					case r >= 0xDC00 && r <= 0xDFFF:
						return true
					case r >= 0xD800 && r <= 0xDBFF:
						lo, ok := hex4(data, i+8)
						if i+7 >= len(data) || data[i+6] != '\\' || data[i+7] != 'u' || !ok || lo < 0xDC00 || lo > 0xDFFF {
							return true
						}
						i += 6
					}
					i += 4
				}
			}
			i++
		}
	}
	return false
}

// duplicated finds an object with a member twice through encoding/json's
// token reader (names unescaped by it): the reference for Check.
func duplicated(data []byte) bool {
	type frame struct {
		object, key bool
		names       map[string]bool
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if name, ok := tok.(string); ok && len(stack) > 0 && stack[len(stack)-1].object && stack[len(stack)-1].key {
			n := len(stack)
			if stack[n-1].names[name] {
				return true
			}
			stack[n-1].names[name], stack[n-1].key = true, false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, key: true, names: map[string]bool{}})
			continue
		case json.Delim('['):
			stack = append(stack, frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].key = true
		}
	}
}

// FuzzCheck_MatchesEncodingJSON: on valid UTF-8 without lone surrogates
// or members twice, Check accepts exactly what json.Valid accepts; what
// it refuses for those reasons the references find too.
func FuzzCheck_MatchesEncodingJSON(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		err := Check(b, Options{})
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("error %T", err)
		}
		valid := json.Valid(b)
		switch {
		case err == nil:
			if !valid || !utf8.Valid(b) || lone(b) || duplicated(b) {
				t.Fatalf("Check accepts %q (json.Valid %v)", b, valid)
			}
		case e.Kind == Malformed || e.Kind == TooDeep:
			if valid {
				t.Fatalf("Check: %v for %q, which json.Valid accepts", err, b)
			}
		case e.Kind == InvalidUTF8:
			if utf8.Valid(b) {
				t.Fatalf("Check: %v for valid UTF-8 %q", err, b)
			}
		case e.Kind == LoneSurrogate:
			if !lone(b) {
				t.Fatalf("Check: %v for %q", err, b)
			}
		case e.Kind == Duplicate:
			if !duplicated(b) { // found before any later malformation
				t.Fatalf("Check: %v for %q", err, b)
			}
		default:
			t.Fatalf("Check: %v under zero Options", err)
		}
		if valid && utf8.Valid(b) && !lone(b) && !duplicated(b) && err != nil {
			t.Fatalf("Check: %v for %q, which json.Valid accepts", err, b)
		}
	})
}

func TestCheck_Kinds(t *testing.T) {
	deep := strings.Repeat("[", 11) + strings.Repeat("]", 11)
	tests := []struct {
		in   string
		o    Options
		want Kind
		name string
	}{
		{`{"a":1,"a":2}`, Options{}, Duplicate, "a"},
		{`{"id":1,"\u0069d":2}`, Options{}, Duplicate, "id"},
		{`{"x":[{"b":1,"c":{"b":1},"b":2}]}`, Options{}, Duplicate, "b"},
		{`{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k3":3}`, Options{}, Duplicate, "k3"},
		{`"\ud800"`, Options{}, LoneSurrogate, ""},
		{`{"\udfff":1}`, Options{}, LoneSurrogate, ""},
		{"\"\xff\"", Options{}, InvalidUTF8, ""},
		{"\xff", Options{}, InvalidUTF8, ""},
		{`"a\u0000"`, Options{RefuseNUL: true}, NUL, ""},
		{"\x00", Options{RefuseNUL: true}, NUL, ""},
		{deep, Options{MaxDepth: 10}, TooDeep, ""},
		{`{"a":1,}`, Options{}, Malformed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var e *Error
			if err := Check([]byte(tt.in), tt.o); !errors.As(err, &e) || e.Kind != tt.want || e.Name != tt.name {
				t.Fatalf("Check = %v, want %v %q", err, tt.want, tt.name)
			}
		})
	}
	for _, ok := range []string{`"a\u0000"`, `{"a":{"a":1},"b":{"a":1}}`, `{"😀":1,"\ud83d\ude01":2}`, deep} {
		if err := Check([]byte(ok), Options{}); err != nil {
			t.Errorf("Check(%s) = %v", ok, err)
		}
	}
	for _, n := range []int{DefaultMaxDepth - 1, DefaultMaxDepth, DefaultMaxDepth + 1} {
		b := []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
		if (Check(b, Options{}) == nil) != json.Valid(b) {
			t.Errorf("depth %d: Check %v, json.Valid %v", n, Check(b, Options{}), json.Valid(b))
		}
	}
}

// sample is a document with escaped names, a large object, nesting and
// every kind of value.
func sample(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"object":"account","\u0069d":"acct_1","requirements":{"currently_due":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"person_%d.dob.day"`, i)
	}
	b.WriteString(`],"errors":[{"code":"x","reason":"é \ud83d\ude00","requirement":"a"}],"current_deadline":1.5e3,"n":null,"t":true},"metadata":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"key_%d":"v"`, i)
	}
	b.WriteString(`}}`)
	return []byte(b.String())
}

// Check does not allocate on valid input.
func TestCheck_AllocationFree(t *testing.T) {
	in := sample(1000)
	if err := Check(in, Options{RefuseNUL: true}); err != nil {
		t.Fatal(err)
	}
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	if n := testing.AllocsPerRun(100, func() { _ = Check(in, Options{RefuseNUL: true}) }); n != 0 {
		t.Fatalf("%v allocations per Check", n)
	}
}

func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		in := sample(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if err := Check(in, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzMembers_MatchesEncodingJSON: on what Check accepts, Members gives
// what json.Unmarshal into a map of json.RawMessage gives; on the rest, an
// error.
func FuzzMembers_MatchesEncodingJSON(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(` { "a\u0062" : [1, {"x":"}"}] , "c":"\"" ,"d": -1.5e3 , "e":null} `))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := Members(b)
		if Check(b, Options{}) != nil {
			if err == nil {
				t.Fatalf("Members(%q) accepted what Check refuses", b)
			}
			return
		}
		var want map[string]json.RawMessage
		wantErr := json.Unmarshal(b, &want)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("Members(%q): %v; encoding/json: %v", b, err, wantErr)
		}
		if len(got) != len(want) || (got == nil) != (want == nil) {
			t.Fatalf("Members(%q) = %q; encoding/json %q", b, got, want)
		}
		for k, v := range want {
			if string(got[k]) != string(v) {
				t.Fatalf("Members(%q)[%q] = %q; encoding/json %q", b, k, got[k], v)
			}
		}
	})
}

func TestMembers_Errors(t *testing.T) {
	for _, in := range []string{`{"a":1,"a":2}`, `[1]`, `"x"`, `{"a":}`, `{"a":"\ud800"}`} {
		if _, err := Members([]byte(in)); err == nil {
			t.Errorf("Members(%s) = nil error", in)
		}
	}
}

// FuzzCheck_ArraysMatchEncodingJSON: on input Check accepts, Options.Arrays
// lists every array, in the order they open, each at its '[' and with the
// number of elements encoding/json reads there; Check's verdict is the
// same with and without it.
func FuzzCheck_ArraysMatchEncodingJSON(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"a":[[1,[]],{"b":["[",",","]"]}],"c":[ ]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var arrays []Array
		err := Check(b, Options{Arrays: &arrays})
		if (err == nil) != (Check(b, Options{}) == nil) {
			t.Fatalf("Check(%q) with Arrays: %v; without: %v", b, err, Check(b, Options{}))
		}
		if err != nil {
			return
		}
		// The reference: every '[' outside strings opens an array.
		var want []int
		inStr := false
		for i := 0; i < len(b); i++ {
			switch c := b[i]; {
			case inStr && c == '\\':
				i++
			case c == '"':
				inStr = !inStr
			case !inStr && c == '[':
				want = append(want, i)
			}
		}
		if len(arrays) != len(want) {
			t.Fatalf("%q: %d arrays listed, want %d", b, len(arrays), len(want))
		}
		for k, a := range arrays {
			if a.Offset != want[k] {
				t.Fatalf("%q: array %d at %d, want %d", b, k, a.Offset, want[k])
			}
			var elems []json.RawMessage
			if err := json.NewDecoder(bytes.NewReader(b[a.Offset:])).Decode(&elems); err != nil {
				t.Fatalf("%q: array %d: %v", b, k, err)
			}
			if a.Len != len(elems) {
				t.Fatalf("%q: array %d has %d elements, Check says %d", b, k, len(elems), a.Len)
			}
		}
	})
}

// TestCheck_PoolForgetsArrays: the pooled checker keeps nothing of the
// caller's Options, so that a large Arrays slice is not held by the pool
// (found in review).
func TestCheck_PoolForgetsArrays(t *testing.T) {
	arrays := make([]Array, 0, 1<<16)
	if err := Check([]byte(`[[],[]]`), Options{Arrays: &arrays}); err != nil {
		t.Fatal(err)
	}
	c := pool.Get().(*checker)
	defer pool.Put(c)
	if c.opts.Arrays != nil {
		t.Fatalf("pooled checker still points at the caller's arrays (cap %d)", cap(*c.opts.Arrays))
	}
}
