package clientaddr

import (
	"net/http"
	"net/netip"
	"strings"
)

// forwarded returns the client named by a trusted proxy's headers: the
// right-most hop of X-Forwarded-For or of Forwarded's for= parameters
// (RFC 7239 §5.2) that is not itself a trusted proxy. Hops to its left were
// written by the client or by proxies the hub does not know, and may be
// anything. It reports false when neither header is present, when a hop
// cannot be read, and when both headers are present and name different
// clients: a proxy that sets one may pass the other through from the client.
func (res *Resolver) forwarded(h http.Header) (netip.Addr, bool) {
	xff, hasXFF := h["X-Forwarded-For"]
	fwd, hasFwd := h["Forwarded"]
	var fromXFF, fromFwd netip.Addr
	if hasXFF {
		hops, ok := xffHops(xff)
		if fromXFF, ok = res.client(hops, ok); !ok {
			return netip.Addr{}, false
		}
	}
	if hasFwd {
		hops, ok := forwardedHops(fwd)
		if fromFwd, ok = res.client(hops, ok); !ok {
			return netip.Addr{}, false
		}
	}
	switch {
	case hasXFF && hasFwd && fromXFF != fromFwd:
		return netip.Addr{}, false
	case hasXFF:
		return fromXFF, true
	case hasFwd:
		return fromFwd, true
	}
	return netip.Addr{}, false
}

// client picks the right-most untrusted hop; when every hop is a trusted
// proxy, the left-most one (the client is itself in a trusted network).
func (res *Resolver) client(hops []netip.Addr, ok bool) (netip.Addr, bool) {
	if !ok || len(hops) == 0 {
		return netip.Addr{}, false
	}
	for i := len(hops) - 1; i > 0; i-- {
		if !res.isTrusted(hops[i]) {
			return hops[i], true
		}
	}
	return hops[0], true
}

// xffHops reads X-Forwarded-For: comma-separated addresses, across all the
// header's lines (RFC 9110 §5.3), left to right.
func xffHops(lines []string) ([]netip.Addr, bool) {
	var hops []netip.Addr
	for _, line := range lines {
		for _, f := range strings.Split(line, ",") {
			ip, ok := parseNode(strings.TrimSpace(f))
			if !ok {
				return nil, false
			}
			hops = append(hops, ip)
		}
	}
	return hops, true
}

// forwardedHops reads the for= parameter of each element of Forwarded
// (RFC 7239 §4): elements separated by commas, parameters by semicolons,
// names case-insensitive, values tokens or quoted strings. An element
// without for=, or a for= that is not an address ("unknown", an obfuscated
// "_name", §6), makes the header unusable: the client cannot be known.
func forwardedHops(lines []string) ([]netip.Addr, bool) {
	var hops []netip.Addr
	for _, line := range lines {
		for _, elem := range strings.Split(line, ",") {
			ip, ok := forNode(elem)
			if !ok {
				return nil, false
			}
			hops = append(hops, ip)
		}
	}
	return hops, true
}

// forNode returns the address of the for= parameter of one element.
func forNode(elem string) (netip.Addr, bool) {
	for _, pair := range strings.Split(elem, ";") {
		name, value, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok || !strings.EqualFold(name, "for") {
			continue
		}
		if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
			value = value[1 : len(value)-1]
		}
		return parseNode(value)
	}
	return netip.Addr{}, false
}

// parseNode parses one hop: an IP address, optionally with a port
// ("192.0.2.1:4711", "[2001:db8::1]:4711"); an IPv6 address may be
// bracketed without a port (Forwarded's form, RFC 7239 §6).
func parseNode(s string) (netip.Addr, bool) {
	if ip, err := netip.ParseAddr(s); err == nil {
		return normalize(ip), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return normalize(ap.Addr()), true
	}
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		if ip, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil && ip.Is6() {
			return normalize(ip), true
		}
	}
	return netip.Addr{}, false
}
