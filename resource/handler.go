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
				challenge(w, m.cfg.Realm)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), stateKey{}, &state{realm: m.cfg.Realm})))
			return
		}
		if err == nil {
			var c Caller
			if c, err = m.Verify(r.Context(), token); err == nil {
				s := &state{realm: m.cfg.Realm, caller: c, ok: true}
				next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), stateKey{}, s)))
				return
			}
		}
		refuse(w, m.cfg.Realm, err)
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
	return requireCaller(next, func(w http.ResponseWriter, c Caller, realm string) bool {
		if c.HasScope(scope) {
			return true
		}
		writeError(w, http.StatusForbidden, realm, "insufficient_scope", "the token lacks the scope "+scope, scope)
		return false
	})
}

// RequireMFA returns next for callers who signed in with a second factor
// (Caller.MFA); others get 401 insufficient_user_authentication with
// acr_values="mfa" (RFC 9470 §3), which tells the client to sign in again
// asking for acr_values=mfa. Tokens of no sign-in (personal tokens,
// client credentials) never pass. Use it inside Middleware.Handler.
func RequireMFA(next http.Handler) http.Handler {
	return requireCaller(next, func(w http.ResponseWriter, c Caller, realm string) bool {
		if c.MFA() {
			return true
		}
		const desc = "this API needs a sign-in with a second factor: sign in again with acr_values=mfa"
		if realm != "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+realm+`", error="insufficient_user_authentication", error_description="`+desc+`", acr_values="mfa"`)
		}
		writeError(w, http.StatusUnauthorized, "", "insufficient_user_authentication", desc, "")
		return false
	})
}

// RequireCaller returns next for requests with a verified token; anonymous
// ones (Config.AllowAnonymous) get a 401 challenge. Use it inside
// Middleware.Handler.
func RequireCaller(next http.Handler) http.Handler {
	return requireCaller(next, nil)
}

func requireCaller(next http.Handler, allow func(http.ResponseWriter, Caller, string) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := stateFrom(r.Context())
		switch {
		case s == nil:
			writeError(w, http.StatusInternalServerError, "", "server_error", "resource: the route is not behind Middleware.Handler", "")
		case !s.ok:
			challenge(w, s.realm)
		case allow == nil || allow(w, s.caller, s.realm):
			next.ServeHTTP(w, r)
		}
	})
}

// challenge answers a request without a token: 401 and a bare challenge
// (RFC 6750 §3.1: no error code in the header when the request had no
// credentials).
func challenge(w http.ResponseWriter, realm string) {
	writeError(w, http.StatusUnauthorized, realm, "", "authentication required: send Authorization: Bearer <token>", "")
}

// refuse answers a request whose token was refused or could not be
// checked.
func refuse(w http.ResponseWriter, realm string, err error) {
	if errors.Is(err, ErrUnavailable) {
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusServiceUnavailable, "", "temporarily_unavailable", description(err), "")
		return
	}
	writeError(w, http.StatusUnauthorized, realm, "invalid_token", description(err), "")
}

// writeError writes the JSON error body and, when realm is set, the
// WWW-Authenticate challenge with the same code and description.
func writeError(w http.ResponseWriter, status int, realm, code, desc, scope string) {
	desc = headerSafe(desc)
	if realm != "" {
		ch := `Bearer realm="` + realm + `"`
		if code != "" {
			ch += `, error="` + code + `", error_description="` + desc + `"`
		}
		if scope != "" {
			ch += `, scope="` + scope + `"`
		}
		w.Header().Set("WWW-Authenticate", ch)
	}
	if code == "" {
		code = "invalid_token" // the JSON body always has a code, as the hub's own API answers
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(map[string]string{"error": code, "error_description": desc})
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
