package roles_test

import (
	"testing"

	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/roles"
)

// TestErrors_Kinds lists every exported sentinel and error type of the
// package with the kind errkind.Of gives it, so that an HTTP layer can
// choose a status without knowing the package.
func TestErrors_Kinds(t *testing.T) {
	_, unknownRole := roles.Parse("wizard")
	_, unknownAction := roles.ParseAction("fly")
	_, badPolicy := roles.ParsePolicy(map[string][]string{"fly": {"admin"}})
	_, badRoleInPolicy := roles.ParsePolicy(map[string][]string{"send_funds": {"wizard"}})
	var d roles.Decision
	var set roles.Set
	_, marshalAction := roles.Action(200).MarshalText()
	_, marshalRole := roles.Role(200).MarshalText()
	for _, tc := range []struct {
		name string
		err  error
		want errkind.Kind
	}{
		{"ErrDenied", roles.ErrDenied, errkind.Denied},
		{"ErrUnknownAction", roles.ErrUnknownAction, errkind.InvalidInput},
		{"ErrInvalidPolicy", roles.ErrInvalidPolicy, errkind.InvalidInput},
		{"ErrInvalidUser", roles.ErrInvalidUser, errkind.InvalidInput},
		{"ErrUnknownRole", roles.ErrUnknownRole, errkind.InvalidInput},
		{"*DeniedError", roles.Check(roles.NewSet(roles.ViewOnly), roles.SendFunds).Err(), errkind.Denied},
		{"*DeniedError/no roles", roles.Check(roles.Set(0), roles.SendFunds).Err(), errkind.Denied},
		{"*UnknownRoleError", unknownRole, errkind.InvalidInput},
		{"ParseAction", unknownAction, errkind.InvalidInput},
		{"ParsePolicy/action", badPolicy, errkind.InvalidInput},
		{"ParsePolicy/role", badRoleInPolicy, errkind.InvalidInput},
		{"User.Validate", roles.User{}.Validate(), errkind.InvalidInput},
		{"ErrMalformed", roles.ErrMalformed, errkind.InvalidInput},
		{"Decision.UnmarshalJSON/type", d.UnmarshalJSON([]byte(`1`)), errkind.InvalidInput},
		{"Decision.UnmarshalJSON/contradiction", d.UnmarshalJSON([]byte(`{"allowed":true,"action":"send_funds","held":[],"permitted":["admin"],"reasons":[]}`)), errkind.InvalidInput},
		{"Set.UnmarshalJSON/type", set.UnmarshalJSON([]byte(`{}`)), errkind.InvalidInput},
		{"Action.MarshalText", marshalAction, errkind.InvalidInput},
		{"Role.MarshalText", marshalRole, errkind.InvalidInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil {
				t.Fatal("no error to classify")
			}
			if got := errkind.Of(tc.err); got != tc.want {
				t.Errorf("errkind.Of(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
	if err := roles.Check(roles.NewSet(roles.Admin), roles.SendFunds).Err(); err != nil || errkind.Of(err) != errkind.None {
		t.Errorf("an allowed decision's Err = %v", err)
	}
}
