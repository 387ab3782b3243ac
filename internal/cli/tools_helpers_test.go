package cli

import (
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/resource"
)

// shortTokens makes the hub issue access tokens that live ttl, so that
// tests can see a tool cross an expiry.
func shortTokens(ttl time.Duration) func(*server.Config) {
	return func(c *server.Config) { c.AccessTokenTTL = ttl }
}

// requests records what a protected test server saw: the bearer tokens
// presented and the statuses answered.
type requests struct {
	mu       sync.Mutex
	tokens   []string
	statuses []int
}

func (r *requests) add(token string, status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tokens = append(r.tokens, token)
	r.statuses = append(r.statuses, status)
}

// reset forgets what was seen.
func (r *requests) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tokens, r.statuses = nil, nil
}

// seen returns the distinct tokens presented, in order, and how many
// requests were refused with 401.
func (r *requests) seen() (tokens []string, unauthorized int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, t := range r.tokens {
		if t != "" && (len(tokens) == 0 || tokens[len(tokens)-1] != t) {
			tokens = append(tokens, t)
		}
		if r.statuses[i] == http.StatusUnauthorized {
			unauthorized++
		}
	}
	return tokens, unauthorized
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

// toolsAPI is the API the tools' test servers are, registered at the hub
// (toolsLogin) and their tokens' audience (protected): never the CLI's
// own client, whose tokens are account-wide.
const toolsAPI, toolsScope = "https://tools.example.org", "tools:use"

// toolsLogin registers toolsAPI at the hub and logs in with its scope, so
// that the session may ask for tokens for it.
func toolsLogin(t *testing.T, h *userHub) {
	t.Helper()
	registerAPI(t, h, "tools", toolsAPI, toolsScope)
	h.login("--scopes", toolsScope)
}

// registerAPI registers the API uri at the hub, owning scope.
func registerAPI(t testing.TB, h *userHub, id, uri, scope string) {
	t.Helper()
	h.AddScope(t, scope, "use "+scope)
	if err := h.Store.CreateAPI(t.Context(), storage.API{ID: id, URI: uri, Name: id, Scopes: []string{scope}}); err != nil {
		t.Fatal(err)
	}
}

// protected serves next on 127.0.0.1 behind resource's middleware for
// the hub at issuer (audience toolsAPI, no clock leeway: an expired token
// is refused at once), recording every request; outer wraps the whole,
// first innermost.
func protected(t *testing.T, issuer string, next http.Handler, outer ...func(http.Handler) http.Handler) (url string, seen *requests) {
	t.Helper()
	return protectedAPI(t, issuer, toolsAPI, next, outer...)
}

// protectedAPI is protected for the registered API audience.
func protectedAPI(t *testing.T, issuer, audience string, next http.Handler, outer ...func(http.Handler) http.Handler) (url string, seen *requests) {
	t.Helper()
	auth, err := resource.New(t.Context(), resource.Config{Issuer: issuer, Audience: []string{audience}, Leeway: -1})
	if err != nil {
		t.Fatalf("resource.New: %v", err)
	}
	seen = &requests{}
	h := auth.Handler(resource.RequireCaller(next))
	var all http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		seen.add(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), rec.status)
	})
	for _, wrap := range outer {
		all = wrap(all)
	}
	ts := httptest.NewServer(all)
	t.Cleanup(ts.Close)
	return ts.URL, seen
}

// needTool skips the test when name is not installed.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed: this test runs the real %s (apt-get install %s)", name, name, name)
	}
	return p
}
