package provider

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/hubauth/hubauth/internal/names"
)

// postOnly lists the endpoints that take credentials in a form body: a GET
// would put them in URLs and logs (RFC 6749 §3.2, RFC 7009 §2.1, RFC 7662
// §2.1, RFC 8628 §3.1).
var postOnly = []string{PathToken, PathRevoke, PathIntrospect, PathDevice}

// Guard wraps the provider's handler with what the library leaves out:
// POST only where credentials travel, RFC 6750 §3's WWW-Authenticate on
// userinfo's 401s, RFC 6749 §5.2's 401 for a failed client authentication
// (clientChallenge), and a malformed token_name parameter (a label for
// the login session, as DVC Studio's clients send it) refused before the
// library reads the request; Authorize and DeviceAuthorization take the
// label from the request's form (sessionLabel).
func Guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slices.Contains(postOnly, r.URL.Path) && r.Method != http.MethodPost && r.Method != http.MethodOptions {
			w.Header().Set("Allow", "POST")
			refuse(w, http.StatusMethodNotAllowed, "use POST with a form body")
			return
		}
		if r.URL.Path == PathUserinfo {
			w = &challenger{ResponseWriter: w}
		}
		if slices.Contains(postOnly, r.URL.Path) {
			cw := &clientChallenge{ResponseWriter: w}
			defer cw.finish()
			w = cw
		}
		if r.URL.Path == PathAuthorize || r.URL.Path == PathDevice {
			if _, err := TokenName(r.FormValue("token_name")); err != nil {
				refuse(w, http.StatusBadRequest, err.Error())
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// refuse answers a request the guard turns away with an invalid_request
// error body (RFC 6749 §5.2); the browser's /authorize step shows it as the
// HTML error page (pages.AuthorizeStep).
func refuse(w http.ResponseWriter, status int, description string) {
	body, _ := json.Marshal(map[string]string{"error": "invalid_request", "error_description": description})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// challenger adds the bearer challenge to a 401.
type challenger struct{ http.ResponseWriter }

func (c *challenger) WriteHeader(code int) {
	if code == http.StatusUnauthorized && !strings.HasPrefix(c.Header().Get("WWW-Authenticate"), "Bearer") {
		c.Header().Set("WWW-Authenticate", `Bearer realm="hubauth", error="invalid_token"`)
	}
	c.ResponseWriter.WriteHeader(code)
}

// maxTokenName bounds a session label, in characters.
const maxTokenName = 64

// TokenName reads a client-given session label (token_name): names.CheckText
// refuses control characters and invalid UTF-8; surrounding spaces are
// trimmed and a long label is cut to maxTokenName characters.
func TokenName(s string) (string, error) {
	s = strings.TrimSpace(s)
	if err := names.CheckText("token_name", s); err != nil {
		return "", err
	}
	if r := []rune(s); len(r) > maxTokenName {
		s = strings.TrimSpace(string(r[:maxTokenName]))
	}
	return s, nil
}

// sessionLabel is the session label in a request's form: its token_name,
// which Guard has checked (a malformed one, refused there, would be
// dropped here).
func sessionLabel(form url.Values) string {
	name, err := TokenName(form.Get("token_name"))
	if err != nil {
		return ""
	}
	return name
}
