// Package jsonexact reads JSON objects by exact member name and finds the
// text encoding/json would decode lossily or ambiguously. encoding/json
// matches a struct's fields to member names ignoring case (and folding
// "ſ" to "s", "K" to "k"), turns invalid UTF-8 and escaped lone
// surrogates into U+FFFD, and lets the last of two members with one name
// win; connectkit's wire decoders (relink, events) use this package
// instead, so that they read what Stripe sent and nothing else.
package jsonexact

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"
)

// Problem returns "" when data holds no text encoding/json would decode
// lossily or ambiguously, and otherwise what it holds: "invalid UTF-8",
// "escaped lone UTF-16 surrogate" (\ud800, which it rewrites to U+FFFD),
// or "member \"name\" sent twice" (an object, at any depth, with a member
// name twice; the last would silently win). Malformed JSON is left to the
// decoder that follows. It reads data twice, and its memory is
// proportional to the member names of one object.
func Problem(data []byte) string {
	if !utf8.Valid(data) {
		return "invalid UTF-8"
	}
	if LoneSurrogate(data) {
		return "escaped lone UTF-16 surrogate"
	}
	if name, ok := DuplicateMember(data); ok {
		return "member " + Clip(name) + " sent twice"
	}
	return ""
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
// name: nil for null; an error for anything else.
func Members(raw []byte) (map[string]json.RawMessage, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return nil, err
	}
	return all, nil
}

// LoneSurrogate reports whether a JSON string in data has a \u escape of
// a UTF-16 surrogate that is not a high surrogate directly followed by an
// escaped low one. It does not allocate.
func LoneSurrogate(data []byte) bool {
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
			if i+1 >= len(data) {
				return false
			}
			if data[i+1] != 'u' {
				i++ // skip the escaped character
				continue
			}
			r, ok := hex4(data, i+2)
			if !ok {
				i++
				continue
			}
			switch {
			case r >= 0xDC00 && r <= 0xDFFF:
				return true
			case r >= 0xD800 && r <= 0xDBFF:
				if i+7 >= len(data) || data[i+6] != '\\' || data[i+7] != 'u' {
					return true
				}
				lo, ok := hex4(data, i+8)
				if !ok || lo < 0xDC00 || lo > 0xDFFF {
					return true
				}
				i += 11 // the pair
			default:
				i += 5
			}
		}
	}
	return false
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

// DuplicateMember returns a member name that some object in data has
// twice (names compared once decoded, so "id" and "\u0069d" are the
// same), reading the JSON tokens once. Malformed JSON reports none.
func DuplicateMember(data []byte) (string, bool) {
	type frame struct {
		object bool
		names  map[string]struct{}
		key    bool // the next token in this object is a member name
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var stack []frame
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) || err != nil {
			return "", false
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if top != nil && top.object && top.key {
			if name, ok := tok.(string); ok {
				if _, dup := top.names[name]; dup {
					return name, true
				}
				top.names[name] = struct{}{}
				top.key = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, names: map[string]struct{}{}, key: true})
			continue
		case json.Delim('['):
			stack = append(stack, frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// a value ended: the enclosing object expects a name next
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].key = true
		}
	}
}
