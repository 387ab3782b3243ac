package provider

import (
	"context"
	"net"
	"net/http"
)

// issuance carries, through the library's token calls, what a grant knows
// that the library does not pass along: the session's label, and the session
// id once it is created (for the access token's sid claim).
type issuance struct {
	name      string
	sessionID string
}

type issuanceKey struct{}

// withIssuance returns ctx with a fresh issuance record.
func withIssuance(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, issuanceKey{}, &issuance{name: name})
}

// issuanceFrom returns the record of ctx, or a throwaway one.
func issuanceFrom(ctx context.Context) *issuance {
	if is, ok := ctx.Value(issuanceKey{}).(*issuance); ok {
		return is
	}
	return &issuance{}
}

func sessionName(ctx context.Context) string { return issuanceFrom(ctx).name }

// RemoteIP returns the IP address of the peer of r.
func RemoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ThrottleAddress is the key under which r's sender is rate-limited: its
// IPv4 address, or its IPv6 /64 (one host commonly holds a whole /64).
func ThrottleAddress(r *http.Request) string {
	ip := net.ParseIP(RemoteIP(r))
	if ip == nil || ip.To4() != nil {
		return RemoteIP(r)
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
