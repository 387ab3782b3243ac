package pages

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// AuthorizeStep wraps the library's /authorize, h, which starts with the
// request limits (provider.RequestLimits): AuthorizeStep reads nothing of
// the request itself, so that the rate limit and the caps come first and
// refuse a query that is too large or does not decode. It ties each
// authorization request to the browser that started it, with a cookie that
// /login and /consent require — so a request id carried to another browser
// (a link sent to a signed-in victim) completes nothing there. And it turns
// the library's JSON or plain-text errors, and the limits', into the HTML
// error page: that step runs in a browser, and an error there (unknown
// client, redirect URI not registered) must not be sent to an unverified
// redirect URI (RFC 6749 §4.1.2.1).
func (p *Pages) AuthorizeStep(h http.Handler) http.Handler {
	return Secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &capture{ResponseWriter: w, onRedirect: func(w http.ResponseWriter) { p.bindRequest(w, r) }}
		h.ServeHTTP(c, r)
		if !c.failed {
			return
		}
		var e struct {
			Code        string `json:"error"`
			Description string `json:"error_description"`
		}
		if json.Unmarshal(c.body.Bytes(), &e) != nil || e.Code == "" {
			e.Code, e.Description = "invalid_request", string(bytes.TrimSpace(c.body.Bytes()))
		}
		if e.Description == "" {
			e.Description = "The application sent an invalid sign-in request."
		}
		p.fail(w, r, c.status, e.Code, e.Description)
	}))
}

// capture passes successful responses through and holds back error ones.
type capture struct {
	http.ResponseWriter
	onRedirect func(http.ResponseWriter)
	status     int
	failed     bool
	body       bytes.Buffer
}

func (c *capture) WriteHeader(code int) {
	if c.status != 0 {
		return
	}
	c.status = code
	if code >= 400 {
		c.failed = true
		return
	}
	if code/100 == 3 {
		c.onRedirect(c.ResponseWriter)
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.WriteHeader(http.StatusOK)
	}
	if c.failed {
		if c.body.Len() < 4096 {
			c.body.Write(b)
		}
		return len(b), nil
	}
	return c.ResponseWriter.Write(b)
}
