package requirements

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/bits"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/connectkit/connectkit/internal/jsonexact"
)

// The decoders split JSON that has already been validated as a whole
// (checkJSON on the input, once) into members and elements without
// decoding it again at every level, as json.Unmarshal into a map of
// json.RawMessage would: each level re-validates and copies its subtree.
// Every helper here gives exactly what json.Unmarshal gives on valid input
// (null leaves the destination as it is, a map is set to nil; member names
// with escapes and strings with escapes are unquoted by encoding/json
// itself) and falls back to json.Unmarshal for any shape it does not
// handle, so errors are encoding/json's own. Values returned alias the
// input; nothing a Set keeps does.

// skipSpace returns the index of the first non-space byte of d at or after i.
func skipSpace(d []byte, i int) int {
	for i < len(d) && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string whose opening quote is
// d[i], or -1 if it is not closed. It looks for the closing quote or a
// backslash eight bytes at a time; after a backslash, byte by byte.
func skipString(d []byte, i int) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	const quotes, backslashes = 0x2222222222222222, 0x5c5c5c5c5c5c5c5c
	j := i + 1
	for ; j+8 <= len(d); j += 8 {
		w := binary.LittleEndian.Uint64(d[j:])
		q, b := w^quotes, w^backslashes
		// The lowest byte flagged is the first quote or backslash (the
		// bytes above it may be flagged falsely).
		if m := ((q-lo)&^q | (b-lo)&^b) & hi; m != 0 {
			j += bits.TrailingZeros64(m) / 8
			if d[j] == '"' {
				return j + 1
			}
			break
		}
	}
	for ; j < len(d); j++ {
		switch d[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the index just past the JSON value starting at d[i]
// (no leading space), or -1 if d ends first. d is assumed valid JSON.
func skipValue(d []byte, i int) int {
	if i >= len(d) {
		return -1
	}
	switch d[i] {
	case '"':
		return skipString(d, i)
	case '{', '[':
		depth := 0
		for ; i < len(d); i++ {
			switch d[i] {
			case '"':
				j := skipString(d, i)
				if j < 0 {
					return -1
				}
				i = j - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return -1
	}
	for ; i < len(d); i++ {
		switch d[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
	}
	return i
}

// isNullLiteral reports whether raw is exactly the literal null.
func isNullLiteral(raw []byte) bool { return string(raw) == "null" }

// simpleString returns the contents of the JSON string raw when it needs
// no unquoting: quoted, no escape, valid UTF-8. raw comes from valid JSON,
// so it holds no control character and no unescaped quote.
func simpleString(raw []byte) ([]byte, bool) {
	n := len(raw)
	if n < 2 || raw[0] != '"' || raw[n-1] != '"' {
		return nil, false
	}
	body := raw[1 : n-1]
	if bytes.IndexByte(body, '\\') >= 0 || !utf8.Valid(body) {
		return nil, false
	}
	return body, true
}

// jsonString is json.Unmarshal(raw, dst) for a string.
func jsonString(raw []byte, dst *string) error {
	if b, ok := simpleString(raw); ok {
		*dst = string(b)
		return nil
	}
	if isNullLiteral(raw) {
		return nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return err
	}
	*dst = s
	return nil
}

// jsonInt64 is json.Unmarshal(raw, dst) for an int64.
func jsonInt64(raw []byte, dst *int64) error {
	if len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		if u, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			*dst = u
			return nil
		}
	}
	if isNullLiteral(raw) {
		return nil
	}
	var u int64
	if err := json.Unmarshal(raw, &u); err != nil {
		return err
	}
	*dst = u
	return nil
}

// eachElement calls fn with each element of the JSON array raw, and
// reports false (having called fn for none) if raw is not an array.
func eachElement(raw []byte, fn func(v []byte) bool) bool {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return false
	}
	// Find the elements first, so that fn is called only on an array
	// that splits cleanly.
	ok, n := splitArray(raw, i, nil)
	if !ok {
		return false
	}
	if n == 0 {
		return true
	}
	ok, _ = splitArray(raw, i, fn)
	return ok
}

// splitArray walks the array at raw[i], calling fn (if not nil) on each
// element, and returns whether it split cleanly and how many elements it
// has.
func splitArray(raw []byte, i int, fn func(v []byte) bool) (bool, int) {
	n := 0
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == ']' {
		return skipSpace(raw, i+1) == len(raw), 0
	}
	for {
		j := skipValue(raw, i)
		if j < 0 {
			return false, n
		}
		if fn != nil && !fn(raw[i:j]) {
			return false, n
		}
		n++
		i = skipSpace(raw, j)
		if i >= len(raw) {
			return false, n
		}
		switch raw[i] {
		case ',':
			i = skipSpace(raw, i+1)
		case ']':
			return skipSpace(raw, i+1) == len(raw), n
		default:
			return false, n
		}
	}
}

// jsonArray is json.Unmarshal(raw, &items) for a []json.RawMessage that
// starts nil.
func jsonArray(raw []byte) ([]json.RawMessage, error) {
	if ok, n := arrayLen(raw); ok {
		if n == 0 {
			return []json.RawMessage{}, nil
		}
		items := make([]json.RawMessage, 0, n)
		eachElement(raw, func(v []byte) bool { items = append(items, v); return true })
		return items, nil
	}
	if isNullLiteral(raw) {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, err
	}
	return items, nil
}

// plainStrings reports whether raw is an array that splits cleanly into
// strings that need no unquoting (see simpleString), and its length.
func plainStrings(raw []byte) (n int, ok bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return 0, false
	}
	ok, n = splitArray(raw, i, func(v []byte) bool { _, ok := simpleString(v); return ok })
	return n, ok
}

// textArena hands out strings cut from a few chunks rather than one
// allocation each. Chunks are at most textChunk bytes and at most max
// (the size of the input the strings come from, so that a small input
// does not keep a large chunk alive); max 0 means textChunk.
type textArena struct {
	buf []byte
	max int
}

// textChunk is the size of textArena's chunks.
const textChunk = 4096

// string returns b as a string, cut from the arena: unsafe.String over
// bytes never written again, which is what makes a string immutable.
func (a *textArena) string(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > textChunk/8 {
		return string(b)
	}
	if cap(a.buf)-len(a.buf) < len(b) {
		size := textChunk
		if a.max > 0 {
			size = min(size, a.max)
		}
		a.buf = make([]byte, 0, max(size, len(b)))
	}
	start := len(a.buf)
	a.buf = append(a.buf, b...)
	return unsafe.String(&a.buf[start], len(b))
}

// unsafeString views b as a string for a call that does not keep it.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// arrayLen reports whether raw is an array that splits cleanly, and its
// length.
func arrayLen(raw []byte) (bool, int) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return false, 0
	}
	return splitArray(raw, i, nil)
}

// jsonStrings is json.Unmarshal(raw, dst) for a []string that starts nil.
func jsonStrings(raw []byte, dst *[]string) error {
	if ok, n := arrayLen(raw); ok {
		list := make([]string, 0, n)
		simple := eachElement(raw, func(v []byte) bool {
			b, ok := simpleString(v)
			if ok {
				list = append(list, string(b))
			}
			return ok
		})
		if simple && len(list) == n {
			*dst = list
			return nil
		}
	}
	if isNullLiteral(raw) {
		*dst = nil
		return nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return err
	}
	*dst = list
	return nil
}

// jsonObject is json.Unmarshal(raw, &o) for an object that starts nil:
// null gives nil, a later member of the same name replaces an earlier
// one. known are the member names the caller expects (see splitObject).
func jsonObject(raw []byte, known ...string) (object, error) {
	if o, ok := splitObject(raw, known); ok {
		return o, nil
	}
	var o object
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, err
	}
	return o, nil
}

// splitObject splits the JSON object raw into its members, or reports
// false. A member named as one of known is keyed by that string, so that
// the names a decoder expects cost no allocation.
func splitObject(raw []byte, known []string) (object, bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil, false
	}
	// One walk fills the map (a small map holds 8 members in its first
	// allocation); an object that does not split cleanly is dropped.
	o := make(object, 8)
	if _, ok := walkObject(raw, i, func(name, v []byte) {
		for _, k := range known {
			if string(name) == k {
				o[k] = v
				return
			}
		}
		o[string(name)] = v
	}); !ok {
		return nil, false
	}
	return o, true
}

// walkObject walks the object at raw[i], calling fn (if not nil) with each
// member's unquoted name and its value, and returns the number of members
// and whether the object split cleanly (a name with an escape does not:
// encoding/json unquotes it).
func walkObject(raw []byte, i int, fn func(name, v []byte)) (int, bool) {
	n := 0
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return 0, skipSpace(raw, i+1) == len(raw)
	}
	for {
		if i >= len(raw) || raw[i] != '"' {
			return n, false
		}
		j := skipString(raw, i)
		if j < 0 {
			return n, false
		}
		name, ok := simpleString(raw[i:j])
		if !ok {
			return n, false
		}
		i = skipSpace(raw, j)
		if i >= len(raw) || raw[i] != ':' {
			return n, false
		}
		i = skipSpace(raw, i+1)
		j = skipValue(raw, i)
		if j < 0 {
			return n, false
		}
		if fn != nil {
			fn(name, raw[i:j])
		}
		n++
		i = skipSpace(raw, j)
		if i >= len(raw) {
			return n, false
		}
		switch raw[i] {
		case ',':
			i = skipSpace(raw, i+1)
		case '}':
			return n, skipSpace(raw, i+1) == len(raw)
		default:
			return n, false
		}
	}
}

// checkJSON checks the whole input of a decoder once, with
// internal/jsonexact: one JSON value, valid UTF-8, no NUL (not even as
// \u0000), no escaped lone surrogate, no object with a member twice, at
// most jsonexact.DefaultMaxDepth deep. Below, it is split, not parsed
// again. Malformed JSON is an error as it is; the rest, text connectkit
// refuses to read lossily or cannot store, is an *InvalidError.
func checkJSON(data []byte) error { return checkJSONArrays(data, nil) }

// checkJSONArrays is checkJSON listing the input's arrays in *arrays (see
// jsonexact.Options.Arrays) when it is not nil.
func checkJSONArrays(data []byte, arrays *[]jsonexact.Array) error {
	err := jsonexact.Check(data, jsonexact.Options{RefuseNUL: true, Arrays: arrays})
	var e *jsonexact.Error
	if err == nil || !errors.As(err, &e) || e.Kind == jsonexact.Malformed {
		return err
	}
	return invalid("input", "", e.Error())
}

// jsonTop decodes the whole input of a decoder as an object (checkJSON).
func jsonTop(data []byte) (object, error) {
	if err := checkJSON(data); err != nil {
		return nil, err
	}
	return jsonObject(data)
}

// jsonArrayInto is json.Unmarshal(raw, items) for a []json.RawMessage.
func jsonArrayInto(raw []byte, items *[]json.RawMessage) error {
	v, err := jsonArray(raw)
	if err != nil {
		return err
	}
	if v != nil || isNullLiteral(raw) {
		*items = v
	}
	return nil
}
