package provider

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/scopes"
)

// Endpoint paths, published in the discovery document.
const (
	PathAuthorize  = "/authorize"
	PathToken      = "/oauth/token"
	PathIntrospect = "/oauth/introspect"
	PathUserinfo   = "/userinfo"
	PathRevoke     = "/oauth/revoke"
	PathEndSession = "/end_session"
	PathJWKS       = "/oauth/jwks"
	PathDevice     = "/oauth/device_authorization"
)

// Paths lists the provider's endpoints, for metrics labels.
var Paths = []string{PathAuthorize, PathToken, PathIntrospect, PathUserinfo,
	PathRevoke, PathEndSession, PathJWKS, PathDevice, "/.well-known/openid-configuration"}

// maxPolledCodes bounds the slow_down tracker's memory.
const maxPolledCodes = 200_000

// newProviderMu serializes op.NewOpenIDProvider: it starts every provider
// from the package-level op.DefaultEndpoints and writes the endpoint options
// into it, a data race when two hubs are built at once (several nodes in one
// test process).
var newProviderMu sync.Mutex

// Provider is the hub's OpenID provider.
type Provider struct {
	// Handler serves the OIDC/OAuth endpoints.
	Handler http.Handler
	// Storage is the op.Storage adapter, for the HTML steps.
	Storage *Storage
	// OP is zitadel's provider: the HTML steps use it to finish or fail an
	// authorization request.
	OP     *op.Provider
	issuer string
}

// New builds the provider. Issuers with http:// are accepted only when
// insecure is true (the caller checks the loopback rule).
func New(cfg Config, verifier *bearer.Verifier, insecure bool) (*Provider, error) {
	cfg.setDefaults()
	if cfg.Tokens == nil {
		cfg.Tokens = &account.Issuer{Store: cfg.Store, Scopes: cfg.Scopes, Logger: cfg.Logger, Now: cfg.Now, Bearer: verifier}
	}
	st := newStorage(cfg)
	var key [32]byte
	rand.Read(key[:]) // opaque-token encryption key: unused, the hub issues JWTs
	opCfg := &op.Config{
		CryptoKey:             key,
		CodeMethodS256:        true,
		AuthMethodPost:        true,
		GrantTypeRefreshToken: true,
		SupportedUILocales:    []language.Tag{language.English},
		SupportedScopes:       scopes.NewSet(nil).Names(), // the registered ones too: server.Discovery
		SupportedClaims:       claims,
		DeviceAuthorization: op.DeviceAuthorizationConfig{
			Lifetime:     cfg.DeviceLifetime,
			PollInterval: cfg.DeviceInterval,
			UserFormPath: cfg.DevicePath,
			UserCode:     op.UserCodeBase20,
		},
	}
	endpoints := op.Endpoints{
		Authorization:       op.NewEndpoint(PathAuthorize),
		Token:               op.NewEndpoint(PathToken),
		Introspection:       op.NewEndpoint(PathIntrospect),
		Userinfo:            op.NewEndpoint(PathUserinfo),
		Revocation:          op.NewEndpoint(PathRevoke),
		EndSession:          op.NewEndpoint(PathEndSession),
		JwksURI:             op.NewEndpoint(PathJWKS),
		DeviceAuthorization: op.NewEndpoint(PathDevice),
	}
	opts := []op.Option{op.WithCustomEndpoints(endpoints.Authorization, endpoints.Token, endpoints.Userinfo,
		endpoints.Revocation, endpoints.EndSession, endpoints.JwksURI),
		op.WithCustomIntrospectionEndpoint(endpoints.Introspection),
		op.WithCustomDeviceAuthorizationEndpoint(endpoints.DeviceAuthorization)}
	if insecure {
		opts = append(opts, op.WithAllowInsecure())
	}
	newProviderMu.Lock() // the library writes its endpoint options into a shared global
	p, err := op.NewOpenIDProvider(cfg.Issuer, opCfg, st, opts...)
	newProviderMu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("provider: %w", err)
	}
	srv := &server{
		LegacyServer: op.NewLegacyServer(p, endpoints),
		storage:      st,
		bearer:       verifier,
		polls:        newPollTracker(cfg.DeviceInterval, maxPolledCodes),
	}
	// The library's /authorize/callback step is not used: the login step
	// issues the code itself (Provider.Complete), so the route is a 404.
	h := auditExchangeRefusals(op.RegisterLegacyServer(outage{srv}, http.NotFound, op.WithFallbackLogger(cfg.Logger)), st)
	return &Provider{Handler: h, Storage: st, OP: p, issuer: strings.TrimSuffix(cfg.Issuer, "/")}, nil
}

// IssuePasswordTokens issues an access token and a refresh token for a
// password login (the NOMAD-compatible endpoint), starting a session.
func (p *Provider) IssuePasswordTokens(ctx context.Context, req *PasswordRequest) (*oidc.AccessTokenResponse, error) {
	c, err := p.Storage.GetClientByClientID(ctx, req.ClientID)
	if err != nil {
		return nil, err
	}
	if err := req.aim(ctx, p.Storage); err != nil {
		return nil, err
	}
	ctx = op.ContextWithIssuer(ctx, p.issuer)
	access, refresh, validity, err := p.Storage.createAccessToken(ctx, req, c, "")
	if err != nil {
		return nil, err
	}
	return &oidc.AccessTokenResponse{
		AccessToken: access, RefreshToken: refresh, TokenType: oidc.BearerToken,
		ExpiresIn: uint64(validity.Seconds()), Scope: req.GetScopes(),
	}, nil
}
