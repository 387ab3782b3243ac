package store

import (
	"slices"
	"time"
)

// MaxResourceTokens bounds the API tokens kept per session: past it, the
// one obtained longest ago is dropped.
const MaxResourceTokens = 16

// ResourceToken is an access token for one API, the resource indicator
// Resource (RFC 8707), kept with the session that obtained it so that the
// next process reuses it instead of refreshing. Only a token of known
// Expiry is kept. Like the session's own access token it stays in the
// file when the refresh token is in the keyring.
type ResourceToken struct {
	Resource    string    `json:"resource"`
	AccessToken string    `json:"access_token"`
	TokenType   string    `json:"token_type,omitempty"`
	Expiry      time.Time `json:"expiry"`
	ObtainedAt  time.Time `json:"obtained_at"`
}

// ResourceToken returns the token kept for resource, compared exactly:
// a token for one URI is never one for another.
func (s *Session) ResourceToken(resource string) (ResourceToken, bool) {
	i := slices.IndexFunc(s.ResourceTokens, func(t ResourceToken) bool { return t.Resource == resource })
	if i < 0 {
		return ResourceToken{}, false
	}
	return s.ResourceTokens[i], true
}

// PutResourceToken keeps t, replacing the token for the same resource; a
// token of unknown expiry is not kept (it could never be dropped as
// stale). Past MaxResourceTokens the oldest tokens are dropped.
func (s *Session) PutResourceToken(t ResourceToken) {
	list := slices.DeleteFunc(slices.Clone(s.ResourceTokens), func(o ResourceToken) bool { return o.Resource == t.Resource })
	if !t.Expiry.IsZero() && t.AccessToken != "" {
		list = append(list, t)
	}
	slices.SortStableFunc(list, func(a, b ResourceToken) int { return a.ObtainedAt.Compare(b.ObtainedAt) })
	if n := len(list) - MaxResourceTokens; n > 0 {
		list = list[n:]
	}
	s.ResourceTokens = slices.Clip(list)
	if len(s.ResourceTokens) == 0 {
		s.ResourceTokens = nil
	}
}
