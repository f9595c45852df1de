package requirements

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/connectkit/connectkit/internal/jsonexact"
)

// FuzzScan_MatchesEncodingJSON: on every valid JSON input the splitting
// helpers the decoders use give exactly what json.Unmarshal gives (value
// and whether it fails), so the decoders' behaviour is encoding/json's.
func FuzzScan_MatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{
		`{}`, `null`, `[]`, `"x"`, `12`, `-3`, `1e3`, `1.5`, `true`, `{"a":1,"a":2}`, `{"a\u0062":"c"}`,
		`{"x":[1,{"y":"]}"}],"z":"\"}"}`, ` { "k" : [ "a" , "b\n" ] } `, `["a","b\u00e9",null,"\u0000"]`,
		`["é","\ud83d\ude00"]`, `{"currently_due":["a.b","c"],"errors":[{"code":"x"}]}`, `[[],{},""]`,
		`"\u2028<&>"`, `9223372036854775808`, `{"":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		same := func(what string, got, want any, gotErr, wantErr error) {
			t.Helper()
			if (gotErr == nil) != (wantErr == nil) || (wantErr == nil && !reflect.DeepEqual(got, want)) {
				t.Fatalf("%s of %q: got %#v, %v; encoding/json %#v, %v", what, b, got, gotErr, want, wantErr)
			}
		}
		{
			got, err := jsonObject(b, "a", "x")
			var want object
			wantErr := json.Unmarshal(b, &want)
			same("object", got, want, err, wantErr)
		}
		{
			got, err := jsonArray(b)
			var want []json.RawMessage
			wantErr := json.Unmarshal(b, &want)
			same("array", got, want, err, wantErr)
		}
		{
			var got, want []string
			err := jsonStrings(b, &got)
			wantErr := json.Unmarshal(b, &want)
			same("strings", got, want, err, wantErr)
		}
		{
			got, want := "keep", "keep"
			err := jsonString(b, &got)
			wantErr := json.Unmarshal(b, &want)
			same("string", got, want, err, wantErr)
		}
		{
			got, want := int64(7), int64(7)
			err := jsonInt64(b, &got)
			wantErr := json.Unmarshal(b, &want)
			same("int64", got, want, err, wantErr)
		}
	})
}

// FuzzSetDecode_MatchesEncodingJSON: on input checkJSON accepts, the
// hand-written decoder of Set's own encoding accepts what a json.Decoder
// with DisallowUnknownFields accepts, into the same value — except member
// names that match a field only ignoring case, which it refuses as
// unknown (Q1: names are read exactly).
func FuzzSetDecode_MatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{
		`{"version":2,"hashes":[]}`, `{"version":2,"hashes":null,"extra":{"a":"1"},"extra":{"b":null}}`,
		`{"Version":2,"HASHES":[{"entries":[{"field":"a","kind":"requirement","lists":["currently_due"],"deadline":12}]}]}`,
		`{"version":2,"hashes":[{"v2":true,"capability":"card_payments","entries":[{"field":"x","lists":[null],"errors":[{"code":"c","reason":"r"}]}]}]}`,
		`{"version":2,"bogus":1}`, `{"version":"2"}`, `{"version":2.5}`, `{"version":2,"hashes":[{"deadline":1.5}]}`,
		`{"version":2,"hashes":[{"entries":[{"kind":"teapot"}]}]}`, `{"version":2,"hashes":[{"alternatives":[{"original_fields_due":["a"],"alternative_fields_due":null}]}]}`,
		`{"version":2,"hashes":[{"entries":[{"requested_reasons":[{"code":"x","extra":{"k":"v"}}],"capabilities":["a",null]}]}]}`,
		`{"version":2,"capabilities":{"card_payments":"active"},"id":"acct_1","object":"account"}`,
		`{"version":2,"hashes":[null,{"future":true,"future":null}]}`, `{"versio\u006e":2}`, `[]`, `{"version":2,"hashes":{}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var arrays []jsonexact.Array
		if checkJSONArrays(b, &arrays) != nil {
			return
		}
		var want setJSON
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		wantErr := dec.Decode(&want)
		var got setJSON
		versioned, err := decodeSetJSON(b, arrays, &got)
		// Without the validation pass's arrays, the decoder counts them: the
		// same result.
		var counted setJSON
		if v2, err2 := decodeSetJSON(b, nil, &counted); v2 != versioned || (err2 == nil) != (err == nil) || (err == nil && !reflect.DeepEqual(counted, got)) {
			t.Fatalf("%s: with arrays %+v, %v; counting %+v, %v", b, got, err, counted, err2)
		}
		if err != nil && wantErr == nil && foldedName(b) {
			return // encoding/json read a name by folding case
		}
		if (err == nil) != (wantErr == nil) || (err == nil && !reflect.DeepEqual(got, want)) {
			t.Fatalf("%s: got %+v, %v; encoding/json %+v, %v", b, got, err, want, wantErr)
		}
		// What tells the encoding from the version-less one, as
		// UnmarshalJSON once probed it.
		var probe struct {
			Version *int `json:"version"`
		}
		if err == nil && json.Unmarshal(b, &probe) == nil && versioned != (probe.Version != nil) {
			t.Fatalf("%s: versioned %v, probe %v", b, versioned, probe.Version)
		}
	})
}

// foldedName reports whether some member name in b is not exactly, but
// equal ignoring case to, a name of the set encoding.
func foldedName(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		s, ok := tok.(string)
		if !ok {
			continue
		}
		for _, names := range [][]string{setJSONNames, hashJSONNames, entryJSONNames, errJSONNames, altJSONNames, reasonJSONNames} {
			for _, n := range names {
				if s != n && strings.EqualFold(s, n) {
					return true
				}
			}
		}
	}
}

// TestSkipString_MatchesByteLoop checks skipString's eight-bytes-at-a-time
// search against the plain loop it replaces, on strings whose quotes and
// backslashes fall at every offset of a word.
func TestSkipString_MatchesByteLoop(t *testing.T) {
	ref := func(d []byte, i int) int {
		for i++; i < len(d); i++ {
			switch d[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return -1
	}
	rapid.Check(t, func(t *rapid.T) {
		d := rapid.SliceOfN(rapid.SampledFrom([]byte{'a', '"', '\\', 0x80, 0xff, 0x22 ^ 0x80, 0x5c ^ 0x01, 0}), 0, 40).Draw(t, "d")
		i := rapid.IntRange(0, len(d)).Draw(t, "i")
		d = append(append(d[:i:i], '"'), d[i:]...)
		if got, want := skipString(d, i), ref(d, i); got != want {
			t.Fatalf("skipString(%q, %d) = %d, want %d", d, i, got, want)
		}
	})
}
