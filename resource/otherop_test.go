package resource_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	zstorage "github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/resource"
)

// A provider nobody here wrote: zitadel/oidc's example OpenID provider,
// in-process (as internal/server's federation tests run it). Its service
// user sid1 (secret verysecret) gets client-credentials tokens.
const (
	zitadelServiceUser   = "sid1"
	zitadelServiceSecret = "verysecret"
)

// jwtStorage is the example's storage with its service user's access
// tokens issued as JWTs (zitadel's AccessTokenTypeJWT: RS256, typ JWT,
// aud the client, no scope claim) instead of opaque ones: zitadel's own
// code makes them.
type jwtStorage struct{ *zstorage.Storage }

func (s jwtStorage) ClientCredentials(ctx context.Context, id, secret string) (op.Client, error) {
	c, err := s.Storage.ClientCredentials(ctx, id, secret)
	if err != nil {
		return nil, err
	}
	return jwtClient{c}, nil
}

type jwtClient struct{ op.Client }

func (jwtClient) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeJWT }

// startExampleOP starts the example provider and returns its issuer.
func startExampleOP(t *testing.T) string {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	issuer := "http://localhost:" + strconv.Itoa(ts.Listener.Addr().(*net.TCPAddr).Port)
	st := jwtStorage{zstorage.NewStorageWithClients(zstorage.NewUserStore(issuer), map[string]*zstorage.Client{})}
	logger := slog.Default()
	ts.Config.Handler = exampleop.SetupServer(issuer, st, slog.New(slog.DiscardHandler), false)
	slog.SetDefault(logger) // SetupServer replaces the default logger
	ts.Start()
	t.Cleanup(ts.Close)
	return issuer
}

// exampleOPToken gets a client-credentials access token of the service
// user, with scope.
func exampleOPToken(t *testing.T, issuer, scope string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}
	req, _ := http.NewRequest(http.MethodPost, issuer+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(zitadelServiceUser, zitadelServiceSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || strings.Count(out.AccessToken, ".") != 2 {
		t.Fatalf("client credentials at the example OP: %d %v, token %q", resp.StatusCode, err, out.AccessToken)
	}
	return out.AccessToken
}

// TestOtherProvidersJWTAccessTokens: zitadel's JWT access tokens name
// their audience but carry no scope claim and no typ at+jwt, so they are
// taken only with AcceptJWTAudience, and only for the configured
// audience.
func TestOtherProvidersJWTAccessTokens(t *testing.T) {
	issuer := startExampleOP(t)
	token := exampleOPToken(t, issuer, "openid")
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[1])
	var claims map[string]any
	if json.Unmarshal(payload, &claims) != nil || claims["scope"] != nil || claims["aud"] == nil {
		t.Fatalf("the example OP's token is not what this test is about (aud, no scope): %s", payload)
	}
	for _, tc := range []struct {
		name string
		cfg  resource.Config
		want int
		desc string
	}{
		{"audience, AcceptJWTAudience", resource.Config{Audience: []string{zitadelServiceUser}, AcceptJWTAudience: true}, http.StatusOK, ""},
		{"audience only", resource.Config{Audience: []string{zitadelServiceUser}}, http.StatusUnauthorized, "not an access token"},
		{"another audience", resource.Config{URL: apiURL, AcceptJWTAudience: true}, http.StatusUnauthorized, "not for this API"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Issuer = issuer
			m, err := resource.New(context.Background(), tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			got := call(t, m.Handler(whoami), bearer(token))
			if got.Status != tc.want || !strings.Contains(got.Desc, tc.desc) {
				t.Fatalf("got %+v, want %d with %q", got, tc.want, tc.desc)
			}
			if got.Status == http.StatusOK && (got.Caller.Subject != zitadelServiceUser || got.Caller.ClientID != zitadelServiceUser) {
				t.Errorf("caller %+v, want the service user", got.Caller)
			}
		})
	}
}
