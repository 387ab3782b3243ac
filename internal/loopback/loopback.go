// Package loopback holds the one rule for the loopback redirect URIs of
// native apps (RFC 8252 §7.3): the http redirect URIs an operator may
// register (hubauth admin client), and those the provider matches on any
// port.
package loopback

import (
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Parse parses uri as a loopback redirect URI: http, on 127.0.0.1, [::1]
// or localhost, on a port from 1 to 65535 if any, without user information
// or fragment (RFC 8252 §7.3).
// The host name is compared without case, as DNS names are (RFC 4343):
// http://LocalHost/cb is on localhost. ok is false for any other URI.
func Parse(uri string) (u *url.URL, ok bool) {
	u, err := url.Parse(uri) // the scheme comes back in lower case
	if err != nil || u.Scheme != "http" || u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return nil, false
	}
	if h := u.Hostname(); h != "127.0.0.1" && h != "::1" && !Localhost(h) {
		return nil, false
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, false // a port no listener can have
		}
	}
	return u, true
}

// Localhost reports whether host, as url.URL.Hostname returns it, is the
// name localhost, in any case. A native client gets redirects to it only
// where it registered the name, since it is resolved rather than an address
// (RFC 8252 §8.3).
func Localhost(host string) bool { return strings.EqualFold(host, "localhost") }

// Host reports whether host, as url.URL.Hostname returns it, is a loopback
// address or the name localhost: where an issuer (the hub's own or an
// upstream's) may use http.
func Host(host string) bool {
	if Localhost(host) {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
