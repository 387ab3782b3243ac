package provider

import (
	"encoding/json"
	"net/http"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/hubauth/hubauth/internal/server/jsonapi"
)

// clientChallenge makes every invalid_client at the endpoints where
// clients authenticate a 401 with a WWW-Authenticate challenge
// (RFC 6749 §5.2), wherever it was raised: the library answers its own
// (a malformed Basic header, a public client asking for client
// credentials) with a 400, so the answer is read here, once. A 400 is held
// back until its body shows the error code; finish writes one that had
// none.
type clientChallenge struct {
	http.ResponseWriter
	held    bool // a 400 waits for its body
	written bool
}

func (c *clientChallenge) WriteHeader(code int) {
	if c.held || c.written {
		return
	}
	if code == http.StatusBadRequest {
		c.held = true
		return
	}
	c.send(code)
}

func (c *clientChallenge) Write(b []byte) (int, error) {
	switch {
	case c.held && !c.written && isInvalidClient(b):
		c.send(http.StatusUnauthorized)
	case c.held && !c.written:
		c.send(http.StatusBadRequest)
	case !c.written:
		c.send(http.StatusOK)
	}
	return c.ResponseWriter.Write(b)
}

// finish writes a held 400 that had no body.
func (c *clientChallenge) finish() {
	if c.held && !c.written {
		c.send(http.StatusBadRequest)
	}
}

func (c *clientChallenge) send(code int) {
	c.written = true
	if code == http.StatusUnauthorized {
		c.Header().Set("WWW-Authenticate", jsonapi.ClientChallenge)
	}
	c.ResponseWriter.WriteHeader(code)
}

// isInvalidClient reports whether an error body is RFC 6749 §5.2's
// invalid_client.
func isInvalidClient(body []byte) bool {
	var e oidc.Error
	return json.Unmarshal(body, &e) == nil && e.ErrorType == oidc.InvalidClient
}
