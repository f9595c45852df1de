package roles_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/roles"
)

// TestDecisionJSON_P1_RoundTrip marshals every action's decision for every
// single role, no role and several roles, and reads it back unchanged (P1:
// a decision names the action, the roles held and the rule).
func TestDecisionJSON_P1_RoundTrip(t *testing.T) {
	sets := []roles.Set{0, roles.NewSet(roles.Developer, roles.Admin), roles.NewSet(roles.Owner, roles.SupportSpecialist)}
	for _, r := range roles.All() {
		sets = append(sets, roles.NewSet(r))
	}
	actions := append(roles.Actions(), roles.Action(200))
	for _, a := range actions {
		for _, held := range sets {
			d := roles.Check(held, a)
			b, err := json.Marshal(d)
			if a == roles.Action(200) {
				// A refusal of an undeclared action renders, for the log,
				// but names no action a decision can be read back for.
				var back roles.Decision
				if err != nil || !strings.Contains(string(b), `"code":"unknown_action","rule":"P3"`) || json.Unmarshal(b, &back) == nil {
					t.Fatalf("undeclared action: %s, %v", b, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%v for %v: %v", a, held, err)
			}
			var back roles.Decision
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("%s: %v", b, err)
			}
			if diff := cmp.Diff(d, back); diff != "" {
				t.Fatalf("%s round trip (-want +got):\n%s", b, diff)
			}
		}
	}
}

// TestDecisionJSON_A7_Golden pins the shape: a Developer denied send funds
// is refused under A7, the rule that gates it.
func TestDecisionJSON_A7_Golden(t *testing.T) {
	b, err := json.Marshal(roles.Check(roles.NewSet(roles.Developer), roles.SendFunds))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"allowed":false,"action":"send_funds","rule":"A7","reasons":[{"code":"role_not_permitted","rule":"A7","message":"Developer may not send funds to connected accounts (A7: allowed to Account owner, Super Administrator, Administrator)"}],"held":["developer"],"permitted":["owner","super_admin","admin"]}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	b, _ = json.Marshal(roles.Check(roles.NewSet(roles.Developer, roles.Admin), roles.SendFunds))
	if !strings.Contains(string(b), `"allowed":true`) || !strings.Contains(string(b), `"by":"admin"`) || !strings.Contains(string(b), `"reasons":[]`) {
		t.Fatalf("allowed decision: %s", b)
	}
	b, _ = json.Marshal(roles.Check(0, roles.SendFunds))
	if !strings.Contains(string(b), `"code":"no_roles","rule":"P3"`) {
		t.Fatalf("no roles: %s", b)
	}
}

func TestDecisionJSON_Refused(t *testing.T) {
	d := roles.Check(roles.NewSet(roles.Admin), roles.SendFunds)
	for _, bad := range []string{
		`{}`,
		`{"allowed":true,"action":"fly"}`,
		`{"allowed":false,"action":"send_funds","reasons":[]}`,
		`{"allowed":false,"action":"send_funds","reasons":[{"code":"teapot"}]}`,
		`{"allowed":false,"action":"send_funds","reasons":[{"code":"role_permitted"}]}`,
		`{"allowed":true,"action":"send_funds","held":["nobody"]}`,
		// Decisions no policy makes: the explanation is derived from
		// allowed, held and permitted, so it must agree with them.
		`{"allowed":true,"action":"send_funds","held":["developer"],"permitted":["admin"]}`,
		`{"allowed":false,"action":"send_funds","held":["admin"],"permitted":["admin"],"reasons":[{"code":"role_not_permitted"}]}`,
		`{"allowed":true,"action":"send_funds","held":["owner","admin"],"permitted":["owner","admin"],"by":"admin"}`,
		`{"allowed":false,"action":"send_funds","held":["developer"],"permitted":["admin"],"reasons":[{"code":"unknown_action"}]}`,
		`{"allowed":false,"action":"send_funds","held":[],"permitted":["admin"],"reasons":[{"code":"no_roles"}]}`,
		`{"allowed":false,"action":"send_funds","held":[],"permitted":[],"reasons":[{"code":"role_not_permitted"}]}`,
		`[`,
	} {
		got := d
		if err := json.Unmarshal([]byte(bad), &got); err == nil {
			t.Errorf("%s accepted", bad)
		}
		if got != d {
			t.Errorf("%s changed the decision", bad)
		}
	}
}

func TestSetJSON(t *testing.T) {
	s := roles.NewSet(roles.Developer, roles.Owner)
	b, err := json.Marshal(s)
	if err != nil || string(b) != `["owner","developer"]` {
		t.Fatalf("%s, %v", b, err)
	}
	var back roles.Set
	if err := json.Unmarshal(b, &back); err != nil || back != s {
		t.Fatalf("%v, %v", back, err)
	}
	var u *roles.UnknownRoleError
	if err := json.Unmarshal([]byte(`["admin","root"]`), &back); !errors.As(err, &u) || back != s {
		t.Fatalf("unknown role: %v, left %v", err, back)
	}
}

func TestUserValidate(t *testing.T) {
	long := strings.Repeat("x", roles.MaxUserIDLen+1)
	for _, tt := range []struct {
		id string
		ok bool
	}{{"agent-7", true}, {"", false}, {long, false}, {"a\x00b", false}, {"a\xffb", false}, {"line\nbreak", false}, {"Zoë", true}} {
		err := roles.User{ID: tt.id}.Validate()
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, roles.ErrInvalidUser)) {
			t.Errorf("Validate(%q) = %v, want ok=%v", tt.id, err, tt.ok)
		}
	}
}
