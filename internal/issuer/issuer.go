// Package issuer holds the one rule for an OpenID Connect issuer URL, the
// hub's own and an upstream provider's: an absolute https URL without user
// information, query or fragment (OIDC Discovery §4.3 compares it as a
// string, and tokens name it), where http is only for a loopback host
// (or where the caller allows it, as serve --dev does).
package issuer

import (
	"errors"
	"net/url"

	"github.com/hubauth/hubauth/internal/loopback"
)

// Sentinel errors of Check: callers say them in their own words.
var (
	// ErrMalformed is an issuer that is not an absolute http(s) URL
	// without user information, query or fragment.
	ErrMalformed = errors.New("issuer: not an absolute http(s) URL without query or fragment")
	// ErrInsecure is an http issuer on a host that is not loopback.
	ErrInsecure = errors.New("issuer: http on a host that is not loopback")
)

// Check applies the rule to raw; allowHTTP accepts http on any host.
func Check(raw string, allowHTTP bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
		(u.Scheme != "http" && u.Scheme != "https") {
		return ErrMalformed
	}
	if u.Scheme == "http" && !allowHTTP && !loopback.Host(u.Hostname()) {
		return ErrInsecure
	}
	return nil
}
