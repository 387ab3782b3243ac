package compat

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/hubauth/hubauth/internal/server/jsonapi"
)

// grantPassword is RFC 6749 §4.3's grant_type: with it, POST
// /api/v1/auth/token is a standard password-grant token endpoint (Swagger
// UI's password flow, FastAPI-style clients) and answers RFC 6749 §5.1.
const grantPassword = "password"

// basicAuth takes the client's credentials from an HTTP Basic header
// (RFC 6749 §2.3.1: id and secret form-urlencoded, then joined): a client
// may use the header or the body, not both.
func (in *passwordLogin) basicAuth(r *http.Request) error {
	id, sec, ok := r.BasicAuth()
	if !ok {
		if _, has := r.Header["Authorization"]; has && strings.HasPrefix(strings.ToLower(r.Header.Get("Authorization")), "basic") {
			return jsonapi.Errorf(http.StatusUnauthorized, "invalid_client", "the Basic authorization header is malformed")
		}
		return nil
	}
	if in.ClientID != "" || in.ClientSecret != "" {
		return jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "send the client's credentials in the Basic header or in the body, not both")
	}
	var err1, err2 error
	in.ClientID, err1 = url.QueryUnescape(id)
	in.ClientSecret, err2 = url.QueryUnescape(sec)
	if err1 != nil || err2 != nil {
		return jsonapi.Errorf(http.StatusUnauthorized, "invalid_client", "the Basic authorization header is malformed")
	}
	return nil
}

// writeTokens answers a password login: RFC 6749 §5.1 (token_type Bearer,
// the granted scope, Pragma: no-cache) when the request named the grant,
// else NOMAD's body as before.
func writeTokens(w http.ResponseWriter, standard bool, resp *oidc.AccessTokenResponse) {
	if !standard {
		jsonapi.Write(w, http.StatusOK, map[string]any{
			"access_token": resp.AccessToken, "token_type": "bearer",
			"expires_in": resp.ExpiresIn, "refresh_token": resp.RefreshToken,
		})
		return
	}
	out := map[string]any{
		"access_token": resp.AccessToken, "token_type": oidc.BearerToken,
		"expires_in": resp.ExpiresIn, "scope": strings.Join(resp.Scope, " "),
	}
	if resp.RefreshToken != "" {
		out["refresh_token"] = resp.RefreshToken
	}
	w.Header().Set("Pragma", "no-cache")
	jsonapi.Write(w, http.StatusOK, out)
}
