package requirements_test

import (
	"testing"

	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/requirements"
)

// TestErrorKinds lists every sentinel and error type the package returns
// with the one category errkind.Of gives it, so an HTTP layer can choose a
// status without knowing the package.
func TestErrorKinds(t *testing.T) {
	_, wrong := requirements.DecodeV1([]byte(`{"object":"customer","id":"cus_1"}`), nil)
	_, malformed := requirements.DecodeV1([]byte(`{"object":"account","requirements":{"currently_due":7}}`), nil)
	for _, tt := range []struct {
		name string
		err  error
		want errkind.Kind
	}{
		{"ErrInvalid", requirements.ErrInvalid, errkind.InvalidInput},
		{"ErrUnknownField", requirements.ErrUnknownField, errkind.NotFound},
		{"ErrIllegalTransition", requirements.ErrIllegalTransition, errkind.NotEligible},
		{"ErrMalformed", requirements.ErrMalformed, errkind.InvalidInput},
		{"ErrWrongObject", requirements.ErrWrongObject, errkind.InvalidInput},
		{"*WrongObjectError", wrong, errkind.InvalidInput},
		{"*DecodeError", malformed, errkind.InvalidInput},
		{"*InvalidError", &requirements.InvalidError{What: "field", Value: "", Why: "empty"}, errkind.InvalidInput},
		{"*TransitionError unknown field", &requirements.TransitionError{Err: requirements.ErrUnknownField}, errkind.NotFound},
		{"*TransitionError illegal", &requirements.TransitionError{Err: requirements.ErrIllegalTransition}, errkind.NotEligible},
	} {
		if tt.err == nil {
			t.Fatalf("%s: no error to classify", tt.name)
		}
		if got := errkind.Of(tt.err); got != tt.want {
			t.Errorf("%s (%v): kind %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}
