package relinktest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles/rolestest"
	"pgregory.net/rapid"
)

// Bias says whether a generated value must, must not, or may have a
// property. The zero Bias is Maybe.
type Bias uint8

// The biases.
const (
	// Maybe leaves the property to chance.
	Maybe Bias = iota
	// Always makes every value have the property.
	Always
	// Never makes no value have it.
	Never
)

func drawBias(t *rapid.T, label string, b Bias) bool {
	switch b {
	case Always:
		return true
	case Never:
		return false
	}
	return rapid.Bool().Draw(t, label)
}

// FCAccountOptions bias FCAccount. The zero value draws any valid
// Financial Connections account: every status; status_details.active and
// .inactive with every action and cause (and a cause Stripe may add), an
// expected deactivation date; an authorization or none; every holder type
// (or none), the holder as an ID or an expanded object, customer_account;
// with or without an email, live or sandbox; permissions null, [] or some
// (one unknown); account_numbers null, [] or some, with supported_networks
// absent, [] or some; TANs whose expiries straddle the 30-day horizon or
// sit at the ends of the Timestamp range (year 1, which is also
// time.Time's zero, and 9999); members relink keeps in Extra; and members
// Stripe may add inside status_details, .active, .inactive,
// account_holder and account_numbers[], kept in their objects' Extra, some
// named as a modelled member of that object in another case ("Status",
// "Cause", "ſtatus").
type FCAccountOptions struct {
	// Now anchors TAN expiries; zero means T0.
	Now time.Time
	// Status, when set, is every account's status. Relinkable overrides
	// it.
	Status relink.AccountStatus
	// Holder biases whether the account belongs to a Customer or a
	// connected Account (K2).
	Holder Bias
	// Email biases whether the holder has an email address (K2).
	Email Bias
	// Livemode biases live mode; a sandbox account is subject to K6.
	Livemode Bias
	// TAN biases whether the account has a tokenized account number.
	TAN Bias
	// ConfirmedEmails are the platform's confirmed user emails (K6), as
	// relink.Service.ConfirmedEmails holds them; sandbox holders draw their
	// email from them when Relinkable is Always. Nil means none.
	ConfirmedEmails []string
	// Relinkable biases eligibility: Always builds accounts that
	// relink.CanRequest with roles.Default() and ConfirmedEmails allows a
	// Dashboard request for, by a permitted user with no earlier request
	// (K1, K2, K6); Never accounts it refuses on at least one ground of the
	// account's own.
	Relinkable Bias
}

var causes = []relink.Cause{relink.CauseAccessDenied, relink.CauseAccessExpired, relink.CauseAccountClosed,
	relink.CauseAccountUnavailable, relink.CauseInstitutionRequirement, relink.CauseUnspecified, "cause_stripe_adds_later"}

var activeCauses = []relink.Cause{relink.CauseAccessExpired, relink.CauseInstitutionRequirement, relink.CauseUnspecified, "cause_stripe_adds_later"}

// year1 is -62135596800, 0001-01-01T00:00:00Z: a real instant that is also
// time.Time's zero value, so that no generated account mistakes it for
// "absent".
var year1 = relink.TimestampOf(time.Unix(relink.MinUnix, 0).UTC())

// drawTimestamp draws an expiry or deactivation date: absent, year 1, the
// last second of year 9999, or near now (whole seconds, as Stripe sends).
func drawTimestamp(t *rapid.T, label string, now time.Time, span time.Duration) relink.Timestamp {
	switch rapid.IntRange(0, 5).Draw(t, label+".kind") {
	case 0:
		return relink.Timestamp{}
	case 1:
		return year1
	case 2:
		return relink.TimestampOf(time.Unix(relink.MaxUnix, 0).UTC())
	}
	return relink.TimestampOf(clocktest.DrawNear(t, label, now, span).Truncate(time.Second))
}

// extras are members relink keeps in Account.Extra, in canonical JSON.
var extras = map[string]json.RawMessage{
	"institution_name": json.RawMessage(`"StripeBank"`),
	"balance":          json.RawMessage(`{"as_of":93102340,"current":{"undefined":1126940025},"type":"cash"}`),
	"category":         json.RawMessage(`"cash"`),
	"subscriptions":    json.RawMessage(`[]`),
	"ownership":        json.RawMessage(`null`),
	"display_name":     json.RawMessage(`"Tom \u0026 Jerry \u003cchecking\u003e"`),
}

var extraNames = []string{"balance", "category", "display_name", "institution_name", "ownership", "subscriptions"}

// nestedExtras are members Stripe may add inside the objects relink
// models (status_details, .active, .inactive, account_holder,
// account_numbers[]), in canonical JSON: relink keeps them in the object's
// Extra.
var nestedExtras = []json.RawMessage{
	json.RawMessage(`null`),
	json.RawMessage(`1700000000`),
	json.RawMessage(`"R\u0026D \u003cbeta\u003e"`),
	json.RawMessage(`{"days":3,"flags":[true,null,2.5]}`),
	json.RawMessage(`[]`),
}

// The members relink models, by object, as relink/wire.go names them: a
// case variant of one is an unknown member.
var (
	accountMembers = []string{"id", "object", "livemode", "status", "status_details", "authorization",
		"account_holder", "permissions", "account_numbers"}
	detailsMembers  = []string{"active", "inactive"}
	activeMembers   = []string{"action", "cause", "expected_deactivation_date"}
	inactiveMembers = []string{"action", "cause"}
	holderMembers   = []string{"type", "customer", "customer_account", "account", "email"}
	numberMembers   = []string{"expected_expiry_date", "identifier_type", "status", "supported_networks"}
	// expandedMembers are what relink reads of an expanded Customer or
	// Account.
	expandedMembers = []string{"id", "email", "object"}
)

// variantValues are values of case-variant members: values the modelled
// member could hold (other than the one sent) and others.
var variantValues = []any{nil, "relink_required", "none", "deactivated", "inactive", "account", "cus_9",
	"x@example.com", json.Number("1780000000"), json.Number("-62135596800"), []any{"ach"}, true,
	map[string]any{"action": "relink_required", "id": "cus_9"}}

// drawNestedExtra draws the unknown members of one nested object whose
// modelled members are modelled: none (nil), or one or two, each named
// future_* or a case variant of a modelled name (drawCaseVariant), so that
// they never name a modelled member exactly.
func drawNestedExtra(t *rapid.T, label string, modelled ...string) map[string]json.RawMessage {
	n := rapid.IntRange(0, 2).Draw(t, label+".unknown_members")
	if n == 0 {
		return nil
	}
	m := make(map[string]json.RawMessage, n)
	for i := range n {
		l := fmt.Sprintf("%s.unknown_member_%d", label, i)
		name := fmt.Sprintf("future_%d", i)
		if rapid.Bool().Draw(t, l+".case_variant") {
			name = drawCaseVariant(t, l, rapid.SampledFrom(modelled).Draw(t, l+".of"))
		}
		m[name] = rapid.SampledFrom(nestedExtras).Draw(t, l)
	}
	return m
}

// drawCaseVariant draws a member name that differs from name only in
// case, as encoding/json's struct decoding folds case: all upper case,
// the first letter upper case, or an "s" written as "ſ" (U+017F, which
// folds to "s"). relink reads member names exactly, so such a member is
// an unknown one, kept verbatim.
func drawCaseVariant(t *rapid.T, label, name string) string {
	kinds := []string{"upper", "title"}
	if strings.Contains(name, "s") {
		kinds = append(kinds, "long_s")
	}
	switch rapid.SampledFrom(kinds).Draw(t, label+".case") {
	case "upper":
		return strings.ToUpper(name)
	case "title":
		return strings.ToUpper(name[:1]) + name[1:]
	}
	return strings.Replace(name, "s", "ſ", 1)
}

var permissions = []relink.Permission{relink.PermissionBalances, relink.PermissionOwnership,
	relink.PermissionPaymentMethod, relink.PermissionTransactions}

// FCAccount returns a generator of valid Financial Connections accounts
// biased by opts: every one passes relink.Account.Validate. A failing
// account shrinks towards an active account, a Customer holder, no email
// and no account numbers. It is safe for concurrent use.
func FCAccount(opts FCAccountOptions) *rapid.Generator[relink.Account] {
	if opts.Status != "" && !opts.Status.Valid() {
		panic(fmt.Sprintf("relinktest: unknown status %q", opts.Status))
	}
	return rapid.Custom(func(t *rapid.T) relink.Account { return DrawFCAccount(t, "fc_account", opts) })
}

// DrawFCAccount draws one account as FCAccount does, directly on t, so that
// a failing case prints each choice under label.
func DrawFCAccount(t *rapid.T, label string, opts FCAccountOptions) relink.Account {
	now := opts.Now
	if now.IsZero() {
		now = t0
	}
	a := relink.Account{ID: relink.AccountID(fmt.Sprintf("fca_%d", rapid.IntRange(0, 999).Draw(t, label+".id")))}

	// What Relinkable asks for, as constraints on the parts below.
	holder, email, live, tan, status := opts.Holder, opts.Email, opts.Livemode, opts.TAN, opts.Status
	ground, unconfirmed := "", false
	switch opts.Relinkable {
	case Always:
		holder, email = Always, Always
		if len(opts.ConfirmedEmails) == 0 {
			live = Always
		}
		ground = rapid.SampledFrom([]string{"inactive", "active_relink_required", "tan_expiring", "tans_deactivated"}).Draw(t, label+".relink_ground")
	case Never:
		refusals := []string{"disconnected", "not_repairable", "no_ground", "no_holder", "no_email", "sandbox_email_unconfirmed"}
		switch rapid.SampledFrom(refusals).Draw(t, label+".refused_because") {
		case "disconnected":
			status = relink.AccountDisconnected
		case "not_repairable":
			status, ground = relink.AccountInactive, "not_repairable"
		case "no_ground":
			status, ground = relink.AccountActive, "no_ground"
		case "no_holder":
			holder = Never
		case "no_email":
			holder, email = Always, Never
		case "sandbox_email_unconfirmed":
			holder, email, live, unconfirmed = Always, Always, Never, true
		}
	}
	switch ground {
	case "inactive":
		status = relink.AccountInactive
	case "active_relink_required":
		status = relink.AccountActive
	case "tan_expiring", "tans_deactivated":
		status, tan = relink.AccountActive, Always
	case "no_ground":
		tan = Maybe
	}
	if status == "" {
		status = rapid.SampledFrom([]relink.AccountStatus{relink.AccountActive, relink.AccountInactive, relink.AccountDisconnected}).Draw(t, label+".status")
	}
	a.Status = status
	a.Livemode = drawBias(t, label+".livemode", live)
	if a.Status == relink.AccountInactive {
		actions := []relink.Action{relink.ActionRelinkRequired, "", relink.ActionNone}
		switch ground {
		case "inactive":
			actions = actions[:2]
		case "not_repairable":
			actions = actions[2:]
		}
		a.Inactive.Action = rapid.SampledFrom(actions).Draw(t, label+".inactive_action")
		a.Inactive.Cause = rapid.SampledFrom(causes).Draw(t, label+".inactive_cause")
		a.Inactive.Extra = drawNestedExtra(t, label+".inactive", inactiveMembers...)
	}

	if a.Status == relink.AccountActive {
		// status_details.active (GA): Stripe's own relink signal.
		actions := []relink.Action{"", relink.ActionNone, relink.ActionRelinkRequired}
		switch ground {
		case "active_relink_required":
			actions = actions[2:]
		case "no_ground":
			actions = actions[:2]
		}
		a.Active.Action = rapid.SampledFrom(actions).Draw(t, label+".active_action")
		if a.Active.Action != "" {
			a.Active.Cause = rapid.SampledFrom(activeCauses).Draw(t, label+".active_cause")
			a.Active.ExpectedDeactivation = drawTimestamp(t, label+".expected_deactivation", now, 60*24*time.Hour)
			a.Active.Extra = drawNestedExtra(t, label+".active", activeMembers...)
		}
	}
	a.StatusDetailsExtra = drawNestedExtra(t, label+".status_details", detailsMembers...)
	if rapid.Bool().Draw(t, label+".has_authorization") {
		a.Authorization = relink.AuthorizationID(fmt.Sprintf("fcauth_%d", rapid.IntRange(0, 9).Draw(t, label+".authorization")))
	}

	if drawBias(t, label+".has_holder", holder) {
		a.Holder.Type = rapid.SampledFrom([]relink.HolderType{relink.HolderCustomer, relink.HolderAccount}).Draw(t, label+".holder_type")
		n := rapid.IntRange(0, 99).Draw(t, label+".holder_id")
		expanded := rapid.Bool().Draw(t, label+".holder_expanded")
		if a.Holder.Type == relink.HolderCustomer {
			a.Holder.Customer = fmt.Sprintf("cus_%d", n)
			if expanded {
				a.Holder.CustomerObject = json.RawMessage(fmt.Sprintf(`{"id":"cus_%d","object":"customer","email":null}`, n))
			}
			if rapid.Bool().Draw(t, label+".has_customer_account") {
				a.Holder.CustomerAccount = fmt.Sprintf("acct_v2_%d", n)
			}
		} else {
			a.Holder.Account = fmt.Sprintf("acct_%d", n)
			if expanded {
				a.Holder.AccountObject = json.RawMessage(fmt.Sprintf(`{"id":"acct_%d","object":"account"}`, n))
			}
		}
		a.Holder.Extra = drawNestedExtra(t, label+".holder", holderMembers...)
	}
	// The email comes from the Customer or the connected Account, so only
	// an account with a holder has one.
	if a.Holder.Type != "" && drawBias(t, label+".has_email", email) {
		switch {
		case !a.Livemode && opts.Relinkable == Always:
			a.Holder.Email = rapid.SampledFrom(opts.ConfirmedEmails).Draw(t, label+".confirmed_email")
			if rapid.Bool().Draw(t, label+".email_upper_case") {
				a.Holder.Email = strings.ToUpper(a.Holder.Email) // K6 ignores case
			}
		case unconfirmed:
			a.Holder.Email = "unconfirmed.customer@example.com"
			for _, c := range opts.ConfirmedEmails {
				if strings.EqualFold(c, a.Holder.Email) {
					a.Holder.Email = "another." + a.Holder.Email
				}
			}
		default:
			a.Holder.Email = fmt.Sprintf("customer%d@example.com", rapid.IntRange(0, 9).Draw(t, label+".email_user"))
		}
	}

	if rapid.Bool().Draw(t, label+".permissions_present") {
		a.Permissions = []relink.Permission{} // [] and null differ on the wire
		for _, p := range append(permissions, "permission_stripe_adds_later") {
			if rapid.Bool().Draw(t, label+".permission_"+string(p)) {
				a.Permissions = append(a.Permissions, p)
			}
		}
	}
	for _, name := range extraNames {
		if rapid.Bool().Draw(t, label+".extra_"+name) {
			if a.Extra == nil {
				a.Extra = map[string]json.RawMessage{}
			}
			a.Extra[name] = extras[name]
		}
	}

	// Account numbers: an ordinary number or not, and TANs whose expiries
	// straddle the 30-day horizon of K2.
	if rapid.Bool().Draw(t, label+".account_numbers_empty") {
		a.AccountNumbers = []relink.AccountNumber{} // [] and null differ on the wire
	}
	if rapid.Bool().Draw(t, label+".has_account_number") && ground != "tans_deactivated" {
		a.AccountNumbers = append(a.AccountNumbers, relink.AccountNumber{IdentifierType: relink.IdentifierAccountNumber,
			Status: relink.NumberTransactable, SupportedNetworks: drawNetworks(t, label+".account_number"),
			Extra: drawNestedExtra(t, label+".account_number", numberMembers...)})
	}
	if drawBias(t, label+".has_tan", tan) {
		n := relink.AccountNumber{IdentifierType: relink.IdentifierTokenizedNumber, Status: relink.NumberTransactable}
		switch ground {
		case "tan_expiring":
			if rapid.Bool().Draw(t, label+".tan_expired_in_year_1") {
				n.ExpectedExpiry = year1 // long expired: eligible
			} else {
				n.ExpectedExpiry = relink.TimestampOf(now.Add(time.Duration(rapid.Int64Range(-30*24*3600, int64(relink.ExpiryHorizon/time.Second)).Draw(t, label+".tan_expires_in_seconds")) * time.Second))
			}
		case "tans_deactivated":
			n.Status = relink.NumberDeactivated
		case "no_ground":
			if rapid.Bool().Draw(t, label+".tan_expiry_known") {
				n.ExpectedExpiry = relink.TimestampOf(now.Add(relink.ExpiryHorizon + time.Duration(rapid.Int64Range(1, 400*24*3600).Draw(t, label+".tan_expires_beyond_30d_seconds"))*time.Second))
			}
		default:
			n.Status = rapid.SampledFrom([]relink.NumberStatus{relink.NumberTransactable, relink.NumberDeactivated}).Draw(t, label+".tan_status")
			n.ExpectedExpiry = drawTimestamp(t, label+".tan_expiry", now, relink.ExpiryHorizon)
		}
		n.SupportedNetworks = drawNetworks(t, label+".tan")
		n.Extra = drawNestedExtra(t, label+".tan", numberMembers...)
		a.AccountNumbers = append(a.AccountNumbers, n)
	}
	return a
}

// drawNetworks draws supported_networks: absent, [], ["ach"], or with a
// network Stripe adds later.
func drawNetworks(t *rapid.T, label string) []relink.Network {
	return [][]relink.Network{nil, {}, {relink.NetworkACH}, {relink.NetworkACH, "network_stripe_adds_later"}}[rapid.IntRange(0, 3).Draw(t, label+".supported_networks")]
}

// FCAccountJSON returns a generator of Stripe-shaped Financial Connections
// account payloads, biased by opts as FCAccount is: a drawn account's
// JSON, with more members relink does not model added inside
// status_details, .active, .inactive, account_holder (and its expanded
// Customer or Account), each account_numbers[] entry and at the top level,
// written as Stripe might (not in relink's canonical form: unescaped <, >
// and &, other number spellings), some named as a modelled member in
// another case ("Status", "ID", "ſtatus"; relink reads names exactly, so
// these are unknown members too). relink.ParseAccount accepts every one,
// and MarshalJSON gives back the same JSON value. It is safe for
// concurrent use.
func FCAccountJSON(opts FCAccountOptions) *rapid.Generator[[]byte] {
	return rapid.Custom(func(t *rapid.T) []byte { return DrawFCAccountJSON(t, "fc_account_json", opts) })
}

// stripeValues are values of members relink does not model, as Stripe
// might write them.
var stripeValues = []any{nil, json.Number("1.50"), json.Number("-0"), "Tom & Jerry <checking>", true,
	map[string]any{"status": "failed", "next_refresh_available_at": nil, "nested": []any{json.Number("1e3"), "x"}}}

// DrawFCAccountJSON draws one payload as FCAccountJSON does, directly on t.
func DrawFCAccountJSON(t *rapid.T, label string, opts FCAccountOptions) []byte {
	a := DrawFCAccount(t, label, opts)
	b, err := a.MarshalJSON()
	if err != nil {
		panic(fmt.Sprintf("relinktest: a generated account does not encode: %v", err))
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	var top map[string]any
	if err := dec.Decode(&top); err != nil {
		panic(fmt.Sprintf("relinktest: a generated account's JSON does not decode: %v", err))
	}
	add := func(obj any, where string) {
		m, ok := obj.(map[string]any)
		if !ok || !rapid.Bool().Draw(t, label+"."+where+".adds_member") {
			return
		}
		m["stripe_adds_"+strings.NewReplacer(".", "_", "[", "_", "]", "").Replace(where)] = rapid.SampledFrom(stripeValues).Draw(t, label+"."+where+".added_value")
	}
	// Members relink models, sent present but empty (null, "" or {})
	// where relink's field is zero: they must re-encode as sent.
	empty := func(obj any, where string, forms map[string][]string) {
		m, ok := obj.(map[string]any)
		if !ok {
			return
		}
		for _, name := range slices.Sorted(maps.Keys(forms)) {
			if _, present := m[name]; present || !rapid.Bool().Draw(t, label+"."+where+"."+name+".sent_empty") {
				continue
			}
			switch f := rapid.SampledFrom(forms[name]).Draw(t, label+"."+where+"."+name+".empty_form"); f {
			case "{}":
				m[name] = map[string]any{} // a fresh object each time
			case "null":
				m[name] = nil
			default:
				m[name] = "" // `""`
			}
		}
	}
	obj, str, null := []string{"null", "{}"}, []string{"null", `""`}, []string{"null"}
	empty(top, "account", map[string][]string{"status_details": obj, "authorization": str})
	if d, ok := top["status_details"].(map[string]any); ok {
		empty(d, "status_details", map[string][]string{"active": obj, "inactive": obj})
		empty(d["active"], "status_details.active", map[string][]string{"action": str, "cause": str, "expected_deactivation_date": null})
		empty(d["inactive"], "status_details.inactive", map[string][]string{"action": str, "cause": str})
	}
	if h, ok := top["account_holder"].(map[string]any); ok {
		empty(h, "account_holder", map[string][]string{"customer": str, "customer_account": str, "account": str, "email": str})
	}
	if ns, ok := top["account_numbers"].([]any); ok {
		for i, n := range ns {
			empty(n, fmt.Sprintf("account_numbers[%d]", i), map[string][]string{"supported_networks": null})
		}
	}
	// Optional members relink models, left out at every level (Stripe
	// need not send them; id, status, account_holder.type and
	// account_numbers[].status are required): they must stay absent. And
	// the modelled members whose zero MarshalJSON would write in another
	// form (livemode and identifier_type sent null; an email equal to the
	// expanded object's): they must re-encode as sent.
	omit := func(obj any, where string, optional []string) {
		m, ok := obj.(map[string]any)
		if !ok {
			return
		}
		for _, name := range optional {
			if _, present := m[name]; present && rapid.Bool().Draw(t, label+"."+where+"."+name+".absent") {
				delete(m, name)
			}
		}
	}
	sentNull := func(obj any, where, name string, zero any) {
		if m, ok := obj.(map[string]any); ok && m[name] == zero && rapid.Bool().Draw(t, label+"."+where+"."+name+".sent_null") {
			m[name] = nil
		}
	}
	if d, ok := top["status_details"].(map[string]any); ok {
		omit(d["active"], "status_details.active", activeMembers)
		omit(d["inactive"], "status_details.inactive", inactiveMembers)
		omit(d, "status_details", detailsMembers)
	}
	if h, ok := top["account_holder"].(map[string]any); ok {
		for _, expanded := range []string{"customer", "account"} {
			o, _ := h[expanded].(map[string]any)
			if e, isString := o["email"].(string); isString && h["email"] == nil && rapid.Bool().Draw(t, label+".account_holder.email.sent_as_"+expanded+"s") {
				h["email"] = e
			}
		}
		omit(h, "account_holder", slices.DeleteFunc(slices.Clone(holderMembers), func(n string) bool { return n == "type" }))
	}
	if ns, ok := top["account_numbers"].([]any); ok {
		for i, n := range ns {
			where := fmt.Sprintf("account_numbers[%d]", i)
			sentNull(n, where, "identifier_type", "")
			omit(n, where, []string{"expected_expiry_date", "identifier_type", "supported_networks"})
		}
	}
	sentNull(top, "account", "livemode", false)
	omit(top, "account", []string{"object", "livemode", "status_details", "authorization", "account_holder", "permissions", "account_numbers"})
	// Members whose names differ from a modelled one's only in case:
	// unknown members, which relink must neither read as the modelled
	// member nor lose.
	variant := func(obj any, where string, modelled []string) {
		m, ok := obj.(map[string]any)
		if !ok || !rapid.Bool().Draw(t, label+"."+where+".adds_case_variant") {
			return
		}
		name := drawCaseVariant(t, label+"."+where+".case_variant", rapid.SampledFrom(modelled).Draw(t, label+"."+where+".case_variant_of"))
		m[name] = rapid.SampledFrom(variantValues).Draw(t, label+"."+where+".case_variant_value")
	}
	both := func(obj any, where string, modelled []string) {
		add(obj, where)
		variant(obj, where, modelled)
	}
	both(top, "account", accountMembers)
	if d, ok := top["status_details"].(map[string]any); ok {
		both(d, "status_details", detailsMembers)
		both(d["active"], "status_details.active", activeMembers)
		both(d["inactive"], "status_details.inactive", inactiveMembers)
	}
	if h, ok := top["account_holder"].(map[string]any); ok {
		both(h, "account_holder", holderMembers)
		both(h["customer"], "account_holder.customer", expandedMembers)
		both(h["account"], "account_holder.account", expandedMembers)
	}
	if ns, ok := top["account_numbers"].([]any); ok {
		for i, n := range ns {
			both(n, fmt.Sprintf("account_numbers[%d]", i), numberMembers)
		}
	}
	var out strings.Builder
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false) // as Stripe writes it, not relink's canonical form
	if err := enc.Encode(top); err != nil {
		panic(fmt.Sprintf("relinktest: encoding a payload: %v", err))
	}
	return []byte(out.String())
}

// AskOptions bias Ask. The zero value draws any valid ask.
type AskOptions struct {
	// Method, when set, is every ask's method.
	Method relink.Method
	// Limited biases whether the 48-hour limit applies (K3): a Dashboard
	// ask or a hosted ask delivered by email.
	Limited Bias
	// Roles biases the Dashboard user's roles; nil means any set, which
	// may or may not allow roles.RequestRelink.
	Roles *rolestest.SetOptions
}

// Ask returns a generator of valid relink asks biased by opts: a method
// with a delivery that fits it, a purpose, the user who asks (always for
// the Dashboard, with roles; sometimes for the others, without). It is safe for concurrent use.
func Ask(opts AskOptions) *rapid.Generator[relink.Ask] {
	if opts.Method != 0 && !opts.Method.Valid() {
		panic(fmt.Sprintf("relinktest: unknown method %v", opts.Method))
	}
	return rapid.Custom(func(t *rapid.T) relink.Ask { return DrawAsk(t, "ask", opts) })
}

// DrawAsk draws one ask as Ask does, directly on t.
func DrawAsk(t *rapid.T, label string, opts AskOptions) relink.Ask {
	type way struct {
		method   relink.Method
		delivery relink.Delivery
	}
	ways := []way{{relink.MethodHostedDashboard, ""}, {relink.MethodHostedAPI, relink.DeliveryEmail},
		{relink.MethodHostedAPI, relink.DeliveryURL}, {relink.MethodAPI, ""}}
	var fit []string
	byName := map[string]way{}
	for _, w := range ways {
		limited := w.method == relink.MethodHostedDashboard || w.delivery == relink.DeliveryEmail
		if opts.Method != 0 && w.method != opts.Method || opts.Limited == Always && !limited || opts.Limited == Never && limited {
			continue
		}
		name := w.method.String()
		if w.delivery != "" {
			name += "/" + string(w.delivery)
		}
		fit = append(fit, name)
		byName[name] = w
	}
	if len(fit) == 0 {
		panic(fmt.Sprintf("relinktest: no ask with method %v fits Limited %v", opts.Method, opts.Limited))
	}
	w := byName[rapid.SampledFrom(fit).Draw(t, label+".method")]
	ask := relink.Ask{Method: w.method, Delivery: w.delivery}
	ask.Purpose = rapid.SampledFrom([]relink.Purpose{relink.PurposeUnspecified, relink.PurposeReactivate,
		relink.PurposeRefreshTAN, relink.PurposeChangePermissions}).Draw(t, label+".purpose")
	if ask.Purpose == relink.PurposeChangePermissions {
		for _, p := range permissions {
			if rapid.Bool().Draw(t, label+".asks_permission_"+string(p)) {
				ask.Permissions = append(ask.Permissions, p)
			}
		}
	}
	if ask.Method == relink.MethodAPI {
		ask.AllowOtherAccount = rapid.Bool().Draw(t, label+".allow_other_account")
	}
	// Who asks: a Dashboard user always has an ID; an API call may name
	// none.
	if ask.Method == relink.MethodHostedDashboard || rapid.Bool().Draw(t, label+".names_user") {
		ask.User.ID = fmt.Sprintf("user_%d", rapid.IntRange(0, 9).Draw(t, label+".user_id"))
	}
	if ask.Method == relink.MethodHostedDashboard {
		ro := rolestest.SetOptions{}
		if opts.Roles != nil {
			ro = *opts.Roles
		}
		ask.User.Roles = rolestest.DrawSet(t, label+".roles", ro)
	}
	return ask
}
