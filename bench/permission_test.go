package bench

import (
	"fmt"
	"strings"
	"testing"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/cedar-policy/cedar-go"

	"github.com/connectkit/connectkit/roles"
)

// The permission rows decide the same matrix in every engine: connectkit's
// default policy (every Dashboard role × every gated action), written once
// as a Cedar policy set and once as a casbin RBAC model with its policy
// lines. TestPermissionPeersAgree checks that every engine decides every
// cell as roles.Default() does; the benchmarks then time the L7 column
// (generate_remediation_link) for users holding one role each, cycling
// through all 23 roles so that about a quarter are allowed.

// permUsers is 32 single-role users, the catalogue's 23 roles in order and
// then again from the first: a power of two, so the rows index with i&31.
var permUsers = func() [32]roles.Role {
	var us [32]roles.Role
	all := roles.All()
	for i := range us {
		us[i] = all[i%len(all)]
	}
	return us
}()

// cedarPolicy writes p as one Cedar policy per role: permit a principal in
// Role::"<role>" the actions the role is granted.
func cedarPolicy(p roles.Policy) string {
	var b strings.Builder
	for _, r := range roles.All() {
		var acts []string
		for _, a := range roles.Actions() {
			if p.Allowed(a).Has(r) {
				acts = append(acts, fmt.Sprintf("Action::%q", a.String()))
			}
		}
		if len(acts) == 0 {
			continue
		}
		fmt.Fprintf(&b, "permit (principal in Role::%q, action in [%s], resource == Platform::\"connect\");\n", r.String(), strings.Join(acts, ", "))
	}
	return b.String()
}

type cedarEngine struct {
	ps       *cedar.PolicySet
	entities cedar.EntityMap
}

func newCedar(tb testing.TB) cedarEngine {
	ps, err := cedar.NewPolicySetFromBytes("policy.cedar", []byte(cedarPolicy(roles.Default())))
	if err != nil {
		tb.Fatal(err)
	}
	ents := cedar.EntityMap{}
	for _, r := range roles.All() {
		role := cedar.NewEntityUID("Role", cedar.String(r.String()))
		user := cedar.NewEntityUID("User", cedar.String("user_"+r.String()))
		ents[role] = cedar.Entity{UID: role}
		ents[user] = cedar.Entity{UID: user, Parents: cedar.NewEntityUIDSet(role)}
	}
	return cedarEngine{ps: ps, entities: ents}
}

func (c cedarEngine) request(r roles.Role, a roles.Action) cedar.Request {
	return cedar.Request{
		Principal: cedar.NewEntityUID("User", cedar.String("user_"+r.String())),
		Action:    cedar.NewEntityUID("Action", cedar.String(a.String())),
		Resource:  cedar.NewEntityUID("Platform", "connect"),
		Context:   cedar.NewRecord(nil),
	}
}

func (c cedarEngine) allowed(req cedar.Request) bool {
	d, _ := cedar.Authorize(c.ps, c.entities, req)
	return d == cedar.Allow
}

const casbinModel = `
[request_definition]
r = sub, obj, act

[policy_definition]
p = sub, obj, act

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act
`

func newCasbin(tb testing.TB) *casbin.Enforcer {
	m, err := model.NewModelFromString(casbinModel)
	if err != nil {
		tb.Fatal(err)
	}
	e, err := casbin.NewEnforcer(m)
	if err != nil {
		tb.Fatal(err)
	}
	p := roles.Default()
	for _, r := range roles.All() {
		if _, err := e.AddGroupingPolicy("user_"+r.String(), r.String()); err != nil {
			tb.Fatal(err)
		}
		for _, a := range roles.Actions() {
			if p.Allowed(a).Has(r) {
				if _, err := e.AddPolicy(r.String(), "connect", a.String()); err != nil {
					tb.Fatal(err)
				}
			}
		}
	}
	return e
}

// TestPermissionPeersAgree: the three engines decide every cell of the
// matrix alike, so the rows time the same decisions.
func TestPermissionPeersAgree(t *testing.T) {
	p := roles.Default()
	ce, cb := newCedar(t), newCasbin(t)
	for _, r := range roles.All() {
		for _, a := range roles.Actions() {
			want := p.Check(roles.NewSet(r), a).Allowed
			if got := ce.allowed(ce.request(r, a)); got != want {
				t.Errorf("cedar %v %v = %v, connectkit %v", r, a, got, want)
			}
			got, err := cb.Enforce("user_"+r.String(), "connect", a.String())
			if err != nil || got != want {
				t.Errorf("casbin %v %v = %v, %v; connectkit %v", r, a, got, err, want)
			}
		}
	}
}

var (
	sinkBool   bool
	sinkReason roles.Reason
	sinkRole   roles.Role
)

// BenchmarkPermission is the L7 row: may this user generate a remediation
// link?
func BenchmarkPermission(b *testing.B) {
	const a = roles.GenerateRemediationLink
	b.Run("connectkit", func(b *testing.B) {
		p := roles.Default()
		var held [32]roles.Set
		for i, r := range permUsers {
			held[i] = roles.NewSet(r)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			d := p.Check(held[i&31], a)
			sinkBool = d.Allowed
		}
	})
	b.Run("connectkit-explained", func(b *testing.B) {
		// The same checks, reading the explanation too: the reason and
		// the granting role, derived from the decision when asked for.
		p := roles.Default()
		var held [32]roles.Set
		for i, r := range permUsers {
			held[i] = roles.NewSet(r)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			d := p.Check(held[i&31], a)
			sinkBool = d.Allowed
			sinkReason = d.Reason()
			sinkRole = d.By()
		}
	})
	b.Run("bit-test", func(b *testing.B) {
		// The raw test Check is built on: held ∩ granted ≠ ∅.
		mask := uint32(roles.Default().Allowed(a))
		var held [32]uint32
		for i, r := range permUsers {
			held[i] = uint32(roles.NewSet(r))
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkBool = held[i&31]&mask != 0
		}
	})
	b.Run("cedar-go", func(b *testing.B) {
		ce := newCedar(b)
		var reqs [32]cedar.Request
		for i, r := range permUsers {
			reqs[i] = ce.request(r, a)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sinkBool = ce.allowed(reqs[i&31])
		}
	})
	b.Run("casbin", func(b *testing.B) {
		cb := newCasbin(b)
		var subs [32]string
		for i, r := range permUsers {
			subs[i] = "user_" + r.String()
		}
		act := a.String()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			ok, err := cb.Enforce(subs[i&31], "connect", act)
			if err != nil {
				b.Fatal(err)
			}
			sinkBool = ok
		}
	})
}
