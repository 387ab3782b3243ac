package provider

import (
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// postOnly lists the endpoints that take credentials in a form body: a GET
// would put them in URLs and logs (RFC 6749 §3.2, RFC 7009 §2.1, RFC 7662
// §2.1, RFC 8628 §3.1).
var postOnly = []string{PathToken, PathRevoke, PathIntrospect, PathDevice}

// Guard wraps the provider's handler with what the library leaves out:
// POST only where credentials travel, RFC 6750 §3's WWW-Authenticate on
// userinfo's 401s, RFC 6749 §5.2's 401 for a failed client authentication
// (clientChallenge), and the token_name parameter (a label for the login
// session, as DVC Studio's clients send it) carried to the request it
// starts.
func Guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slices.Contains(postOnly, r.URL.Path) && r.Method != http.MethodPost && r.Method != http.MethodOptions {
			w.Header().Set("Allow", "POST")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusMethodNotAllowed)
			w.Write([]byte(`{"error":"invalid_request","error_description":"use POST with a form body"}` + "\n"))
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
			r = r.WithContext(withIssuance(r.Context(), TokenName(r.FormValue("token_name"))))
		}
		h.ServeHTTP(w, r)
	})
}

// challenger adds the bearer challenge to a 401.
type challenger struct{ http.ResponseWriter }

func (c *challenger) WriteHeader(code int) {
	if code == http.StatusUnauthorized && !strings.HasPrefix(c.Header().Get("WWW-Authenticate"), "Bearer") {
		c.Header().Set("WWW-Authenticate", `Bearer realm="hubauth", error="invalid_token"`)
	}
	c.ResponseWriter.WriteHeader(code)
}

// maxTokenName bounds a session label, in bytes.
const maxTokenName = 64

// TokenName keeps a client-given session label printable and short.
func TokenName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	for len(s) > maxTokenName {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}
