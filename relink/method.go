package relink

// Method is how a relink is asked for (K3). Wire values are connectkit's
// snake_case names. The zero Method is invalid: CanRequest answers
// ReasonInvalidInput for it.
type Method uint8

// The three relink methods of rule K3.
const (
	// MethodHostedDashboard: a Dashboard user requests relink; Stripe emails the
	// customer a link to a Stripe-hosted page. Limited to one request per
	// account per 48 hours; the user's roles must allow roles.RequestRelink.
	MethodHostedDashboard Method = iota + 1
	// MethodHostedAPI: the platform creates a hosted relink session through
	// the API, and either receives the page URL (DeliveryURL, no limit) or
	// has Stripe email it (DeliveryEmail, the 48-hour limit).
	MethodHostedAPI
	// MethodAPI: the relink flow is embedded in the platform's own website
	// or application. No eligibility criteria beyond the account being
	// relinkable, and no limit.
	MethodAPI

	numMethods = iota + 1
)

var methodNames = [numMethods]string{
	MethodHostedDashboard: "hosted_dashboard",
	MethodHostedAPI:       "hosted_api",
	MethodAPI:             "api",
}

// Valid reports whether m is one of the three methods.
func (m Method) Valid() bool { return m > 0 && m < numMethods }

// Hosted reports whether m relinks on a Stripe-hosted page, where the K2
// criteria and K4's "exactly the same account" apply.
func (m Method) Hosted() bool { return m == MethodHostedDashboard || m == MethodHostedAPI }

// String returns the method's name, such as "hosted_dashboard".
func (m Method) String() string {
	if !m.Valid() {
		return "invalid_method"
	}
	return methodNames[m]
}

// Delivery is hosted.delivery_method: how a hosted relink session made
// through the API reaches the customer. Wire values are Stripe's. It is
// meaningful only with MethodHostedAPI; the zero Delivery is "not given".
type Delivery string

// The delivery methods of a hosted relink session.
const (
	// DeliveryEmail: Stripe emails the page to the customer (limited).
	DeliveryEmail Delivery = "email"
	// DeliveryURL: the session's URL is returned to the platform, which
	// delivers it however it likes (no limit, no email needed).
	DeliveryURL Delivery = "url"
)

// Purpose is why the platform asks for a relink (K5). The zero Purpose is
// "unspecified": only the method's own criteria apply.
type Purpose uint8

// The purposes of rule K5.
const (
	// PurposeUnspecified adds no criterion of its own.
	PurposeUnspecified Purpose = iota
	// PurposeReactivate restores data access: the account must be inactive.
	PurposeReactivate
	// PurposeRefreshTAN refreshes an expiring, expired or revoked TAN: the
	// TAN ground (Account.TANGround) must hold.
	PurposeRefreshTAN
	// PurposeChangePermissions asks the customer to consent to different
	// data permissions: only API relink carries new permissions, and they
	// must differ from those granted.
	PurposeChangePermissions

	numPurposes
)

var purposeNames = [numPurposes]string{
	PurposeUnspecified:       "unspecified",
	PurposeReactivate:        "reactivate",
	PurposeRefreshTAN:        "refresh_tan",
	PurposeChangePermissions: "change_permissions",
}

// Valid reports whether p is one of the declared purposes (unspecified
// included).
func (p Purpose) Valid() bool { return p < numPurposes }

// String returns the purpose's name, such as "refresh_tan".
func (p Purpose) String() string {
	if !p.Valid() {
		return "invalid_purpose"
	}
	return purposeNames[p]
}
