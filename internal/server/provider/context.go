package provider

import "context"

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
