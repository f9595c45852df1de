package relink

// Text forms of the wire enums, so that they parse from text and JSON as
// they print. Enums that decide behaviour refuse unknown values with an
// *InvalidError (matching ErrInvalid) and leave the receiver unchanged;
// informational ones keep any valid text (no NUL, valid UTF-8, at most
// MaxIDLen bytes).

// MarshalText returns the method's name; an invalid Method is an error.
func (m Method) MarshalText() ([]byte, error) {
	if !m.Valid() {
		return nil, &InvalidError{Field: "method", Value: m.String()}
	}
	return []byte(m.String()), nil
}

// UnmarshalText parses a method's name, such as "hosted_dashboard".
func (m *Method) UnmarshalText(b []byte) error {
	for x := Method(1); x < numMethods; x++ {
		if methodNames[x] == string(b) {
			*m = x
			return nil
		}
	}
	return &InvalidError{Field: "method", Value: string(b)}
}

// MarshalText returns the purpose's name; an invalid Purpose is an error.
func (p Purpose) MarshalText() ([]byte, error) {
	if !p.Valid() {
		return nil, &InvalidError{Field: "purpose", Value: p.String()}
	}
	return []byte(p.String()), nil
}

// UnmarshalText parses a purpose's name, such as "refresh_tan".
func (p *Purpose) UnmarshalText(b []byte) error {
	for x := Purpose(0); x < numPurposes; x++ {
		if purposeNames[x] == string(b) {
			*p = x
			return nil
		}
	}
	return &InvalidError{Field: "purpose", Value: string(b)}
}

// MarshalText returns the reason's code; an undeclared Reason is an
// *InvalidError.
func (r Reason) MarshalText() ([]byte, error) { return reasons.MarshalText(r) }

// UnmarshalText parses a reason's code, such as "rate_limited"; an unknown
// code is an *InvalidError and leaves r unchanged.
func (r *Reason) UnmarshalText(b []byte) error { return reasons.UnmarshalText(r, b) }

// decisive parses a string enum that decides behaviour.
func decisive[T ~string](dst *T, field string, b []byte, valid func(T) bool) error {
	v := T(b)
	if !validText(string(v), MaxIDLen) || !valid(v) {
		return &InvalidError{Field: field, Value: string(b)}
	}
	*dst = v
	return nil
}

// informational parses a string enum that Stripe may extend.
func informational[T ~string](dst *T, field string, b []byte) error {
	if !validText(string(b), MaxIDLen) {
		return &InvalidError{Field: field, Value: string(b)}
	}
	*dst = T(b)
	return nil
}

// UnmarshalText parses hosted.delivery_method: "email" or "url" (empty
// is "not given").
func (d *Delivery) UnmarshalText(b []byte) error {
	return decisive(d, "hosted.delivery_method", b, func(d Delivery) bool { return d == "" || d == DeliveryEmail || d == DeliveryURL })
}

// UnmarshalText parses an account status; unknown values are refused.
func (s *AccountStatus) UnmarshalText(b []byte) error {
	return decisive(s, "status", b, AccountStatus.Valid)
}

// UnmarshalText parses an action; unknown values are refused.
func (a *Action) UnmarshalText(b []byte) error {
	return decisive(a, "status_details.action", b, Action.Valid)
}

// UnmarshalText parses a holder type; unknown values are refused.
func (h *HolderType) UnmarshalText(b []byte) error {
	return decisive(h, "account_holder.type", b, HolderType.Valid)
}

// UnmarshalText parses an account number status; unknown values are
// refused.
func (s *NumberStatus) UnmarshalText(b []byte) error {
	return decisive(s, "account_numbers.status", b, NumberStatus.Valid)
}

// UnmarshalText parses a request status; unknown values are refused.
func (s *RequestStatus) UnmarshalText(b []byte) error {
	return decisive(s, "request.status", b, RequestStatus.Valid)
}

// UnmarshalText parses a cause; unknown causes are kept.
func (c *Cause) UnmarshalText(b []byte) error { return informational(c, "cause", b) }

// UnmarshalText parses a permission; unknown permissions are kept.
func (p *Permission) UnmarshalText(b []byte) error { return informational(p, "permissions", b) }

// UnmarshalText parses an identifier type; unknown types are kept.
func (t *IdentifierType) UnmarshalText(b []byte) error {
	return informational(t, "account_numbers.identifier_type", b)
}

// UnmarshalText parses a network; unknown networks are kept.
func (n *Network) UnmarshalText(b []byte) error {
	return informational(n, "account_numbers.supported_networks", b)
}

// UnmarshalText parses a failure reason; unknown reasons are kept.
func (f *FailureReason) UnmarshalText(b []byte) error {
	return informational(f, "relink_result.failure_reason", b)
}
