// Package clientaddr decides which address a request comes from. It is the
// one rule behind every per-address limit (logins, device-code entry,
// authorization and device-authorization requests, the NOMAD password
// endpoint) and every address recorded on sessions and audit events.
//
// The address is the TCP peer's, unless the peer is a trusted reverse proxy:
// then it is the client the proxy names in X-Forwarded-For or Forwarded
// (RFC 7239). From any other peer those headers are ignored, since anyone can
// send them.
package clientaddr

import (
	"context"
	"net"
	"net/http"
	"net/netip"
)

// Resolver finds the client address of requests, trusting the forwarding
// headers of the peers in its prefixes only. The zero Resolver trusts no
// one.
type Resolver struct {
	trusted []netip.Prefix
}

// NewResolver returns a Resolver that trusts the reverse proxies in trusted.
func NewResolver(trusted []netip.Prefix) *Resolver {
	return &Resolver{trusted: trusted}
}

// Handler resolves each request's client address once and records it in
// the request's context, where From and FromContext find it.
func (res *Resolver) Handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := res.Resolve(r)
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), addrKey{}, a)))
	})
}

// Resolve returns the client address of r: the peer's, or, when the peer is
// a trusted proxy, the client named by its forwarding headers. Headers that
// cannot be read, or two headers that disagree, leave the peer's address:
// a client that garbles them is counted with everyone else the proxy sends
// without a usable header, never under an address of its choosing.
func (res *Resolver) Resolve(r *http.Request) Addr {
	peer := peerAddr(r.RemoteAddr)
	if !peer.ip.IsValid() || !res.isTrusted(peer.ip) {
		return peer
	}
	if ip, ok := res.forwarded(r.Header); ok {
		return Addr{ip: ip}
	}
	return peer
}

func (res *Resolver) isTrusted(ip netip.Addr) bool {
	for _, p := range res.trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// Addr is a client address: an IP address, or, for a peer that is not an IP
// address (a test's pipe), the peer as given.
type Addr struct {
	ip  netip.Addr
	raw string
}

// String returns the address as recorded on sessions and audit events.
func (a Addr) String() string {
	if a.ip.IsValid() {
		return a.ip.String()
	}
	return a.raw
}

// ThrottleKey is the key under which the address is rate-limited: an IPv4
// address as is, an IPv6 address as its /64 (one host commonly holds a whole
// /64).
func (a Addr) ThrottleKey() string {
	if !a.ip.Is6() {
		return a.String()
	}
	return netip.PrefixFrom(a.ip, 64).Masked().String()
}

// peerAddr parses a RemoteAddr ("ip:port").
func peerAddr(remote string) Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return Addr{raw: remote}
	}
	return Addr{ip: normalize(ip)}
}

// normalize drops an IPv6 zone and unmaps an IPv4-mapped address, so that
// prefixes and throttle keys see one form of each address.
func normalize(ip netip.Addr) netip.Addr { return ip.WithZone("").Unmap() }

type addrKey struct{}

// From returns the client address of r recorded by Resolver.Handler, or,
// without one, the peer's address.
func From(r *http.Request) Addr {
	if a, ok := r.Context().Value(addrKey{}).(Addr); ok {
		return a
	}
	return peerAddr(r.RemoteAddr)
}

// FromContext returns the client address recorded by Resolver.Handler in
// ctx, or the zero Addr (an empty string) outside a request.
func FromContext(ctx context.Context) Addr {
	a, _ := ctx.Value(addrKey{}).(Addr)
	return a
}
