package resource

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Handler returns next behind the token check: a request with a valid
// bearer token reaches next with its Caller in the context (CallerFrom); a
// request without one reaches it anonymously when Config.AllowAnonymous,
// and every other request is answered here (RFC 6750 §3).
func (m *Middleware) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, err := bearerToken(r)
		if errors.Is(err, errNoToken) {
			if !m.cfg.AllowAnonymous {
				challenge(w, m.params)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), stateKey{}, &state{params: m.params})))
			return
		}
		if err == nil {
			var c Caller
			if c, err = m.Verify(r.Context(), token); err == nil {
				s := &state{params: m.params, caller: c, ok: true}
				next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), stateKey{}, s)))
				return
			}
		}
		refuse(w, m.params, err)
	})
}

// errNoToken means the request has no Authorization header.
var errNoToken = errors.New("resource: no token")

// bearerToken reads the one Authorization header: "Bearer" 1*SP b64token
// (RFC 6750 §2.1; the scheme is case-insensitive, RFC 9110 §11.1). Tokens
// in the query or body (§2.2, §2.3) are not looked at.
func bearerToken(r *http.Request) (string, error) {
	values := r.Header.Values("Authorization")
	switch len(values) {
	case 0:
		return "", errNoToken
	case 1:
	default:
		return "", invalid("the request has more than one Authorization header")
	}
	scheme, token, ok := strings.Cut(values[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", invalid(`the Authorization header is not "Bearer <token>"`)
	}
	token = strings.TrimLeft(token, " ")
	if !validToken(token) {
		return "", invalid("the bearer token is empty, too long or has characters a token cannot have")
	}
	return token, nil
}

// RequireScope returns next for callers whose token has scope; others get
// 403 insufficient_scope naming it (RFC 6750 §3.1), anonymous requests a
// 401 challenge. Use it inside Middleware.Handler. It panics if scope is
// not a valid scope token (RFC 6749 §3.3).
func RequireScope(scope string, next http.Handler) http.Handler {
	if scope == "" || strings.IndexFunc(scope, func(r rune) bool { return r <= ' ' || r > '~' || r == '"' || r == '\\' }) >= 0 {
		panic(fmt.Sprintf("resource: RequireScope(%q): not a scope token", scope))
	}
	return requireCaller(next, func(w http.ResponseWriter, c Caller, params authParams) bool {
		if c.HasScope(scope) {
			return true
		}
		w.Header().Set("WWW-Authenticate", scopeChallenge(params, scope))
		writeBody(w, http.StatusForbidden, "insufficient_scope", lacks(scope))
		return false
	})
}

// RequireMFA returns next for callers who signed in with a second factor
// (Caller.MFA); others get 401 insufficient_user_authentication with
// acr_values="mfa" (RFC 9470 §3), which tells the client to sign in again
// asking for acr_values=mfa. Tokens of no sign-in (personal tokens,
// client credentials) never pass. Use it inside Middleware.Handler.
func RequireMFA(next http.Handler) http.Handler {
	return requireCaller(next, func(w http.ResponseWriter, c Caller, params authParams) bool {
		if c.MFA() {
			return true
		}
		const code, desc = "insufficient_user_authentication", "this API needs a sign-in with a second factor: sign in again with acr_values=mfa"
		if params.realm != "" {
			w.Header().Set("WWW-Authenticate", header(params, code, desc, "")+`, acr_values="mfa"`)
		}
		writeBody(w, http.StatusUnauthorized, code, desc)
		return false
	})
}

// ScopeChallenge sets the WWW-Authenticate header of a 403
// insufficient_scope answer naming the scopes the token lacks (RFC 6750
// §3.1), with the realm of the Middleware the request went through, as
// RequireScope does. It is for a data API that answers a missing scope
// with a body of its own (NOMAD's {"detail": "Missing scopes: [...]"}) and
// keeps the standard challenge: set the header, then write the 403. It
// sets nothing for a request that did not go through Middleware.Handler.
func ScopeChallenge(w http.ResponseWriter, r *http.Request, scopes ...string) {
	if s := stateFrom(r.Context()); s != nil && s.params.realm != "" {
		w.Header().Set("WWW-Authenticate", scopeChallenge(s.params, scopes...))
	}
}

// scopeChallenge is the insufficient_scope challenge naming scopes,
// space-separated (RFC 6750 §3).
func scopeChallenge(params authParams, scopes ...string) string {
	return header(params, "insufficient_scope", lacks(scopes...), headerSafe(strings.Join(scopes, " ")))
}

// lacks describes the missing scopes.
func lacks(scopes ...string) string {
	if len(scopes) == 1 {
		return "the token lacks the scope " + scopes[0]
	}
	return "the token lacks the scopes " + strings.Join(scopes, " ")
}

// RequireCaller returns next for requests with a verified token; anonymous
// ones (Config.AllowAnonymous) get a 401 challenge. Use it inside
// Middleware.Handler.
func RequireCaller(next http.Handler) http.Handler {
	return requireCaller(next, nil)
}

func requireCaller(next http.Handler, allow func(http.ResponseWriter, Caller, authParams) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := stateFrom(r.Context())
		switch {
		case s == nil:
			writeError(w, http.StatusInternalServerError, authParams{}, "server_error", "resource: the route is not behind Middleware.Handler", "")
		case !s.ok:
			challenge(w, s.params)
		case allow == nil || allow(w, s.caller, s.params):
			next.ServeHTTP(w, r)
		}
	})
}

// challenge answers a request without a token: 401 and a bare challenge
// (RFC 6750 §3.1: no error code in the header when the request had no
// credentials).
func challenge(w http.ResponseWriter, params authParams) {
	writeError(w, http.StatusUnauthorized, params, "", "authentication required: send Authorization: Bearer <token>", "")
}

// refuse answers a request whose token was refused or could not be
// checked.
func refuse(w http.ResponseWriter, params authParams, err error) {
	if errors.Is(err, ErrUnavailable) {
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusServiceUnavailable, authParams{}, "temporarily_unavailable", description(err), "")
		return
	}
	writeError(w, http.StatusUnauthorized, params, "invalid_token", description(err), "")
}

// writeError writes the JSON error body and, when params is set, the
// WWW-Authenticate challenge with the same code and description.
func writeError(w http.ResponseWriter, status int, params authParams, code, desc, scope string) {
	if params.realm != "" {
		w.Header().Set("WWW-Authenticate", header(params, code, desc, scope))
	}
	writeBody(w, status, code, desc)
}

// header is a Bearer challenge (RFC 6750 §3): the realm, the error code,
// its description and the scope when set, and the metadata's URL when
// the API has one (RFC 9728 §5.1).
func header(params authParams, code, desc, scope string) string {
	ch := `Bearer realm="` + params.realm + `"`
	if code != "" {
		ch += `, error="` + code + `", error_description="` + headerSafe(desc) + `"`
	}
	if scope != "" {
		ch += `, scope="` + scope + `"`
	}
	if params.metadata != "" {
		ch += `, resource_metadata="` + params.metadata + `"`
	}
	return ch
}

// writeBody writes the JSON error body {"error", "error_description"}.
func writeBody(w http.ResponseWriter, status int, code, desc string) {
	if code == "" {
		code = "invalid_token" // the JSON body always has a code, as the hub's own API answers
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(map[string]string{"error": code, "error_description": headerSafe(desc)})
}

// headerSafe keeps the characters RFC 6750 §3 allows in
// error_description (printable ASCII but " and \).
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r == '\\' || r < ' ' || r > '~':
			return '?'
		}
		return r
	}, s)
}
