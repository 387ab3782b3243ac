package upstream

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/storage"
)

// provider reads provider name fresh from the store: an unknown or
// disabled one gives ErrUnknownProvider.
func (f *Federation) provider(ctx context.Context, name string) (storage.IdentityProvider, error) {
	p, err := f.cfg.Store.GetIdentityProvider(ctx, name)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return p, fail(ErrUnknownProvider, "unknown provider", nil)
	case err != nil:
		return p, err
	case p.Disabled:
		return p, fail(ErrUnknownProvider, "provider disabled", nil)
	}
	return p, nil
}

// upstream is what the hub knows of a provider from its discovery
// document, made from the stored fields it keeps in row.
type upstream struct {
	row      storage.IdentityProvider
	provider *oidc.Provider
	oauth    *oauth2.Config // keeps x/oauth2's detected client authentication
	verifier *oidc.IDTokenVerifier
	keys     *keySet // kept while issuer and jwks_uri stay: JWKS cached
	jwksURL  string
	issParam bool // authorization_response_iss_parameter_supported (RFC 9207 §3)
	fetched  time.Time
}

// discovery holds the fields of a discovery document go-oidc does not
// expose.
type discovery struct {
	JWKSURL  string   `json:"jwks_uri"`
	IssParam bool     `json:"authorization_response_iss_parameter_supported"`
	Algs     []string `json:"id_token_signing_alg_values_supported"`
}

// sameClient reports whether u was made from p's current fields.
func (u *upstream) sameClient(p storage.IdentityProvider) bool {
	return u.row.Issuer == p.Issuer && u.row.ClientID == p.ClientID &&
		u.row.ClientSecret == p.ClientSecret && slices.Equal(u.row.Scopes, p.Scopes)
}

// upstream returns p's upstream, discovered again after CacheTTL or when
// p's issuer, client or scopes changed. Failing discovery gives
// ErrUnreachable.
func (f *Federation) upstream(ctx context.Context, p storage.IdentityProvider) (*upstream, error) {
	now := f.now()
	f.mu.Lock()
	old := f.upstreams[p.Name]
	f.mu.Unlock()
	if old != nil && old.sameClient(p) && now.Sub(old.fetched) < f.ttl {
		return old, nil
	}
	u, err := f.discover(ctx, p, old)
	if err != nil {
		return nil, err
	}
	u.fetched = now
	f.mu.Lock()
	f.upstreams[p.Name] = u
	f.mu.Unlock()
	return u, nil
}

// discover reads p's discovery document and builds its upstream, reusing
// old's key set when the issuer, the client and the jwks_uri are the same.
func (f *Federation) discover(ctx context.Context, p storage.IdentityProvider, old *upstream) (*upstream, error) {
	op, err := oidc.NewProvider(f.clientContext(ctx), p.Issuer)
	if err != nil {
		if isNetwork(err) {
			return nil, fail(ErrUnreachable, "discovery unreachable", err)
		}
		return nil, fail(ErrUnreachable, "discovery failed", err)
	}
	var d discovery
	if err := op.Claims(&d); err != nil {
		return nil, fail(ErrUnreachable, "discovery document unreadable", err)
	}
	u := &upstream{row: p, provider: op, jwksURL: d.JWKSURL, issParam: d.IssParam}
	if old != nil && old.row.Issuer == p.Issuer && old.row.ClientID == p.ClientID && old.jwksURL == d.JWKSURL {
		u.keys = old.keys
	} else {
		u.keys = &keySet{remote: oidc.NewRemoteKeySet(f.clientContext(context.Background()), d.JWKSURL)}
	}
	u.verifier = oidc.NewVerifier(p.Issuer, u.keys, &oidc.Config{ClientID: p.ClientID, SupportedSigningAlgs: d.Algs, Now: f.now})
	u.oauth = &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: op.Endpoint(),
		RedirectURL: f.callbackURL(p.Name), Scopes: slices.Clone(p.Scopes)}
	return u, nil
}

// clientContext carries the Federation's HTTP client to go-oidc and
// x/oauth2.
func (f *Federation) clientContext(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, f.client)
}

// keySet is go-oidc's cached remote key set, which also tells the caller
// when the keys could not be fetched: go-oidc's own error then no longer
// says so (it is formatted with %v).
type keySet struct {
	remote *oidc.RemoteKeySet
}

type keyErrKey struct{}

// VerifySignature verifies jwt with the upstream's keys; a network error
// fetching them is also stored in the *error ctx holds under keyErrKey.
func (k *keySet) VerifySignature(ctx context.Context, jwt string) ([]byte, error) {
	payload, err := k.remote.VerifySignature(ctx, jwt)
	if err != nil && isNetwork(err) {
		if slot, ok := ctx.Value(keyErrKey{}).(*error); ok {
			*slot = err
		}
	}
	return payload, err
}
