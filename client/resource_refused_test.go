package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/hubtest"
)

// refusedPrefix: a refresh for a resource under it is refused (400) with
// the error code that ends the resource's path, as a provider would.
const refusedPrefix = "https://refused.example.org/"

// refuseResources answers 400 with the code a resource under refusedPrefix
// names, and passes everything else on.
func refuseResources(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/oauth/token" {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			form, _ := url.ParseQuery(string(body))
			if code, ok := strings.CutPrefix(form.Get("resource"), refusedPrefix); ok {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, `{"error":"`+code+`","error_description":"refused for the test"}`)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// TestResourceRefreshRefused: a refresh for a resource refused with
// invalid_target, invalid_request or invalid_scope is an error for that
// resource, and the session stays; only invalid_grant ends it.
func TestResourceRefreshRefused(t *testing.T) {
	h := &hub{}
	h.Hub = hubtest.New(t, hubtest.WithHandler(refuseResources), hubtest.WithUser(demoUser, demoPassword))
	c, _ := loggedIn(t, h)
	for _, code := range []string{"invalid_target", "invalid_request", "invalid_scope", "unsupported_grant_type"} {
		t.Run(code, func(t *testing.T) {
			ts, err := c.ResourceTokenSource(context.Background(), refusedPrefix+code)
			if err != nil {
				t.Fatal(err)
			}
			var herr *client.HTTPError
			if _, err := ts.Token(); !errors.As(err, &herr) || herr.Code != code || errors.Is(err, client.ErrSessionExpired) {
				t.Errorf("Token: %v; want the provider's %s", err, code)
			}
			if info, _ := c.Session(); info.Expired {
				t.Fatalf("%s ended the session", code)
			}
		})
	}
	ts, _ := c.ResourceTokenSource(context.Background(), refusedPrefix+"invalid_grant")
	if _, err := ts.Token(); !errors.Is(err, client.ErrSessionExpired) {
		t.Errorf("invalid_grant: %v, want ErrSessionExpired", err)
	}
	if info, _ := c.Session(); !info.Expired {
		t.Error("invalid_grant left the session live")
	}
}
