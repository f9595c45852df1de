package requirements_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/connectkit/connectkit/requirements"
	"github.com/google/go-cmp/cmp"
)

func readCodes(t *testing.T, name string) []requirements.ErrorCode {
	t.Helper()
	b, err := os.ReadFile("testdata/codes/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var out []requirements.ErrorCode
	for _, l := range strings.Fields(string(b)) {
		out = append(out, requirements.ErrorCode(l))
	}
	return out
}

// The catalogue is exactly Stripe's: every v1 code (97) and every v2-only
// code (7), none Stripe does not define, each with a remedy.
func TestErrorCode_Q7_CatalogueMatchesStripe(t *testing.T) {
	v1, v2 := readCodes(t, "v1codes.txt"), readCodes(t, "v2only.txt")
	if len(v1) != 97 || len(v2) != 7 {
		t.Fatalf("lists hold %d and %d codes", len(v1), len(v2))
	}
	want := append(slices.Clone(v1), v2...)
	slices.Sort(want)
	if diff := cmp.Diff(want, requirements.ErrorCodes()); diff != "" {
		t.Fatalf("catalogue (-stripe +ours):\n%s", diff)
	}
	for _, c := range want {
		if !c.Known() || c.Remedy() < requirements.RemedyUploadDocument || c.Remedy() > requirements.RemedyContactSupport {
			t.Errorf("%s: known %v remedy %v", c, c.Known(), c.Remedy())
		}
	}
	if c := requirements.ErrorCode("a_code_stripe_adds_later"); c.Known() || c.Remedy() != requirements.RemedyContactSupport {
		t.Fatalf("unknown code: %v %v", c.Known(), c.Remedy())
	}
}

// Each remedy follows from the code (Q6, Q7): a table of representatives.
func TestErrorCode_Q7_Remedies(t *testing.T) {
	tests := []struct {
		code requirements.ErrorCode
		want requirements.Remedy
	}{
		{requirements.CodeVerificationDocumentExpired, requirements.RemedyUploadDocument},
		{requirements.CodeVerificationDocumentNotReadable, requirements.RemedyUploadDocument},
		{requirements.CodeVerificationSelfieFaceMismatch, requirements.RemedyUploadDocument},
		{requirements.CodeVerificationDocumentNameMismatch, requirements.RemedyCorrectInformation},
		{requirements.CodeInvalidDOBAgeUnder18, requirements.RemedyCorrectInformation},
		{requirements.CodeVerificationFailedTaxIDMatch, requirements.RemedyCorrectInformation},
		{requirements.CodeInvalidURLWebsiteInaccessible, requirements.RemedyUpdateBusinessProfile},
		{requirements.CodeInvalidStatementDescriptorLength, requirements.RemedyUpdateBusinessProfile},
		{requirements.CodeVerificationMissingOwners, requirements.RemedyUpdatePersons},
		{requirements.CodeInvalidTOSAcceptance, requirements.RemedyAcceptTerms},
		{requirements.CodeInformationMissing, requirements.RemedyProvideInformation},
		{requirements.CodeVerificationDocumentFraudulent, requirements.RemedyContactSupport},
		{requirements.CodeUnsupportedBusinessType, requirements.RemedyContactSupport},
	}
	for _, tt := range tests {
		if got := tt.code.Remedy(); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.code, got, tt.want)
		}
	}
	s := decodeV1(t, `{"requirements":{"currently_due":["a"],"errors":[{"code":"verification_document_expired","reason":"r","requirement":"a"},{"code":"invalid_tos_acceptance","reason":"r","requirement":"a"}]}}`)
	a := s.ActionsRequired(t0)[0]
	if !a.Remedies.Has(requirements.RemedyUploadDocument) || !a.Remedies.Has(requirements.RemedyAcceptTerms) || a.Remedies.Len() != 2 || !a.Paths.Has(requirements.PathContactSupport) {
		t.Fatalf("action %+v", a)
	}
}

// Inputs over the documented limits are a clear error, not a slow success.
func TestDecode_Q1_LimitsRefused(t *testing.T) {
	many := make([]string, requirements.MaxEntries+1)
	for i := range many {
		many[i] = fmt.Sprintf("f%d", i)
	}
	entries, _ := json.Marshal(map[string]any{"requirements": map[string]any{"currently_due": many}})
	alts := make([]any, requirements.MaxItems+1)
	for i := range alts {
		alts[i] = map[string]any{"alternative_fields_due": []string{"a"}, "original_fields_due": []string{"b"}}
	}
	altsJSON, _ := json.Marshal(map[string]any{"requirements": map[string]any{"alternatives": alts}})
	members := map[string]any{}
	for i := range requirements.MaxMembers + 1 {
		members[fmt.Sprintf("x%d", i)] = 1
	}
	membersJSON, _ := json.Marshal(map[string]any{"requirements": members})
	tests := []struct {
		name string
		in   []byte
	}{
		{"entries", entries},
		{"alternatives", altsJSON},
		{"unknown members", membersJSON},
		{"input size", append(append([]byte(`{"requirements":{"x":"`), strings.Repeat("a", requirements.MaxInputBytes)...), `"}}`...)},
		{"unknown member value size", []byte(`{"requirements":{"x":"` + strings.Repeat("a", requirements.MaxMemberBytes) + `"}}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := requirements.DecodeV1(tt.in, nil)
			if !errors.Is(err, requirements.ErrMalformed) || !errors.Is(err, requirements.ErrInvalid) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}
