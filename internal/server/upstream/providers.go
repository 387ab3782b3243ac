package upstream

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
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
// document, with the provider's stored fields in row.
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
		fresh := *old
		fresh.row = p // the claim settings as stored now
		return &fresh, nil
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
	var status int
	op, err := oidc.NewProvider(oidc.ClientContext(ctx, recording(f.client, &status)), p.Issuer)
	if err != nil {
		return nil, discoveryError(err, status)
	}
	var d discovery
	if err := op.Claims(&d); err != nil {
		return nil, fail(ErrMisconfigured, "discovery document unusable", err)
	}
	u := &upstream{row: p, provider: op, jwksURL: d.JWKSURL, issParam: d.IssParam}
	if old != nil && old.row.Issuer == p.Issuer && old.row.ClientID == p.ClientID && old.jwksURL == d.JWKSURL {
		u.keys = old.keys
	} else {
		u.keys = &keySet{remote: oidc.NewRemoteKeySet(f.clientContext(context.Background()), d.JWKSURL)}
	}
	u.verifier = oidc.NewVerifier(p.Issuer, u.keys, &oidc.Config{ClientID: p.ClientID, SupportedSigningAlgs: signingAlgs(d.Algs), Now: f.now})
	u.oauth = &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: op.Endpoint(),
		RedirectURL: f.callbackURL(p.Name), Scopes: slices.Clone(p.Scopes)}
	return u, nil
}

// discoveryError classifies a failed discovery of HTTP status status (0:
// no response): an untrusted certificate, an answer that is no discovery
// document (4xx, or 200 with something else: not JSON, another issuer)
// are the provider's set-up (ErrMisconfigured); no answer, a time limit
// or a 5xx are ErrUnreachable.
func discoveryError(err error, status int) error {
	var cert *tls.CertificateVerificationError
	switch {
	case errors.As(err, &cert):
		return fail(ErrMisconfigured, "TLS certificate not trusted", err)
	case isNetwork(err):
		return fail(ErrUnreachable, "discovery unreachable", err)
	case status >= 500:
		return fail(ErrUnreachable, "discovery failed", err)
	case status >= 400:
		return fail(ErrMisconfigured, "discovery document not found", err)
	}
	return fail(ErrMisconfigured, "discovery document unusable", err)
}

// recording returns c answering as c does, and keeping the status of its
// last response in *status.
func recording(c *http.Client, status *int) *http.Client {
	rc := *c
	base := rc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	rc.Transport = statusRecorder{base: base, status: status}
	return &rc
}

type statusRecorder struct {
	base   http.RoundTripper
	status *int
}

func (s statusRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.base.RoundTrip(r)
	if err == nil {
		*s.status = resp.StatusCode
	}
	return resp, err
}

// asymmetric are the algorithms ID tokens may be signed with: never a
// shared secret (HS*) nor none (RFC 8725 §3.1), whatever discovery lists.
var asymmetric = map[string]bool{
	oidc.RS256: true, oidc.RS384: true, oidc.RS512: true, oidc.PS256: true, oidc.PS384: true, oidc.PS512: true,
	oidc.ES256: true, oidc.ES384: true, oidc.ES512: true, oidc.EdDSA: true,
}

// signingAlgs keeps the asymmetric algorithms of a discovery document's
// id_token_signing_alg_values_supported; none left, go-oidc takes RS256.
func signingAlgs(listed []string) []string {
	var out []string
	for _, a := range listed {
		if asymmetric[a] {
			out = append(out, a)
		}
	}
	return out
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
