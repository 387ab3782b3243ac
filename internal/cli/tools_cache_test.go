package cli

import (
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// toolsCacheAPI is a second API, to see that tokens for two resources
// stay apart.
const toolsCacheAPI, toolsCacheScope = "https://other.example.org/api", "other:use"

// countingHub is a userHub whose token endpoint counts its requests.
func countingHub(t *testing.T) (*userHub, *atomic.Int64) {
	t.Helper()
	h := newUserHub(t)
	var hits atomic.Int64
	h.Hub = hubtest.New(t, hubtest.WithUser(demoUser, demoPassword), hubtest.WithHandler(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				hits.Add(1)
			}
			next.ServeHTTP(w, r)
		})
	}))
	// Logged in before the APIs are registered, the session covers both
	// (a grant made now would have to name one with resource).
	h.AddScope(t, toolsScope, "use "+toolsScope)
	h.AddScope(t, toolsCacheScope, "use "+toolsCacheScope)
	h.login("--scopes", toolsScope+","+toolsCacheScope)
	for id, uri := range map[string]string{"tools": toolsAPI, "other": toolsCacheAPI} {
		scope := map[string]string{toolsAPI: toolsScope, toolsCacheAPI: toolsCacheScope}[uri]
		if err := h.Store.CreateAPI(t.Context(), storage.API{ID: id, URI: uri, Name: id, Scopes: []string{scope}}); err != nil {
			t.Fatal(err)
		}
	}
	h.Clock.Advance(scopes.CacheTTL) // the hub reads its APIs again
	return h, &hits
}

// apiToken runs `hubauth token --resource resource` and returns the token,
// failing the test unless its aud is resource alone.
func apiToken(t *testing.T, h *userHub, resource string) string {
	t.Helper()
	tok := strings.TrimSpace(h.mustRun("", "token", "--resource", resource))
	if aud := jwtAudience(tok); !slices.Equal(aud, []string{resource}) {
		t.Fatalf("token --resource %s: aud %q", resource, aud)
	}
	return tok
}

// gitPassword runs `hubauth credential git get` for resource and returns
// the password it answers.
func gitPassword(t *testing.T, h *userHub, resource string) string {
	t.Helper()
	out := h.mustRun("protocol=https\nhost=git.example.org\n\n",
		"credential", "git", "--resource", resource, "--host", "https://git.example.org", "get")
	for line := range strings.Lines(out) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "password="); ok {
			return v
		}
	}
	t.Fatalf("credential git get answered %q: no password", out)
	return ""
}

// TestToolsTokenKept: an API token is kept in tokens.json, so the next
// token --resource (--exec-credential) or credential git get, another process, makes no
// request to the hub while it stays valid for --min-valid; past that,
// exactly one refresh replaces it.
func TestToolsTokenKept(t *testing.T) {
	t.Parallel()
	h, hits := countingHub(t)
	base := hits.Load()
	first := apiToken(t, h, toolsAPI)
	if n := hits.Load() - base; n != 1 {
		t.Fatalf("first token --resource: %d token requests, want 1", n)
	}
	if sess, _ := h.stored(""); len(sess.ResourceTokens) != 1 || sess.ResourceTokens[0].Resource != toolsAPI ||
		sess.ResourceTokens[0].AccessToken != first || sess.AccessToken == first {
		t.Fatalf("tokens.json keeps %+v; want the token for %s, apart from the session's own", sess.ResourceTokens, toolsAPI)
	}
	if again, pw := apiToken(t, h, toolsAPI), gitPassword(t, h, toolsAPI); again != first || pw != first {
		t.Errorf("within validity: token %v, git password %v the kept token; want both", again == first, pw == first)
	}
	var ec struct{ Status struct{ Token string } }
	mustJSON(t, h.mustRun("", "token", "--resource", toolsAPI, "--exec-credential"), &ec)
	if ec.Status.Token != first {
		t.Error("token --exec-credential within validity: not the kept token")
	}
	if n := hits.Load() - base; n != 1 {
		t.Errorf("within validity: %d token requests in all, want 1", n)
	}

	h.CLIClock.Advance(15*time.Minute - 30*time.Second) // within the default --min-valid (60s) of expiry
	next := gitPassword(t, h, toolsAPI)
	if n := hits.Load() - base; next == first || n != 2 {
		t.Errorf("near expiry: a new token %v after %d token requests; want a new one after 2", next != first, n)
	}
	if again := apiToken(t, h, toolsAPI); again != next || hits.Load()-base != 2 {
		t.Errorf("after the refresh: the refreshed token %v, %d token requests; want it, 2", again == next, hits.Load()-base)
	}
	if sess, _ := h.stored(""); len(sess.ResourceTokens) != 1 || sess.ResourceTokens[0].AccessToken != next {
		t.Errorf("tokens.json keeps %d API tokens; want the refreshed one alone", len(sess.ResourceTokens))
	}
}

// TestToolsTokenPerResource: tokens for two APIs are kept apart; the one
// for A is never answered for B, nor for a URI that differs by a slash.
func TestToolsTokenPerResource(t *testing.T) {
	t.Parallel()
	h, hits := countingHub(t)
	a, b := apiToken(t, h, toolsAPI), apiToken(t, h, toolsCacheAPI)
	if a == b {
		t.Fatal("the two APIs got the same token")
	}
	base := hits.Load()
	for range 2 {
		if got := apiToken(t, h, toolsCacheAPI); got != b {
			t.Errorf("token --resource %s answered another token", toolsCacheAPI)
		}
		if got := gitPassword(t, h, toolsAPI); got != a {
			t.Errorf("credential git for %s answered another token", toolsAPI)
		}
	}
	if n := hits.Load() - base; n != 0 {
		t.Errorf("%d token requests for kept tokens, want 0", n)
	}
	// Another spelling of the URI is another resource: the hub decides.
	r := h.run("", "token", "--resource", toolsAPI+"/")
	if strings.Contains(r.stdout, a) || hits.Load()-base != 1 {
		t.Errorf("token --resource %s/: exit %d, the token for %s %v, %d requests; want a request, never that token",
			toolsAPI, r.code, toolsAPI, strings.Contains(r.stdout, a), hits.Load()-base)
	}
	if sess, _ := h.stored(""); len(sess.ResourceTokens) != 2 {
		t.Errorf("tokens.json keeps %d API tokens, want 2", len(sess.ResourceTokens))
	}
}

// TestToolsTokenDropped: logging out, or in again over the session, drops
// its API tokens: the next token --resource asks the hub.
func TestToolsTokenDropped(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		end  func(h *userHub)
	}{
		{"logout", func(h *userHub) {
			h.mustRun("", "logout")
			h.login("--scopes", toolsScope)
		}},
		{"login --force", func(h *userHub) { h.login("--force", "--scopes", toolsScope) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, hits := countingHub(t)
			old := apiToken(t, h, toolsAPI)
			tt.end(h)
			if sess, _ := h.stored(""); len(sess.ResourceTokens) != 0 {
				t.Fatalf("the new session keeps %d API tokens of the old one", len(sess.ResourceTokens))
			}
			base := hits.Load()
			if tok := apiToken(t, h, toolsAPI); tok == old || hits.Load()-base != 1 {
				t.Errorf("the old token %v, %d token requests; want a new token after 1", tok == old, hits.Load()-base)
			}
		})
	}
}

// TestStatusListsAPITokens: `hubauth status` names the APIs whose tokens
// are kept and until when, in text and JSON, and never the tokens.
func TestStatusListsAPITokens(t *testing.T) {
	t.Parallel()
	h, _ := countingHub(t)
	a, b := apiToken(t, h, toolsAPI), apiToken(t, h, toolsCacheAPI)
	text := h.mustRun("", "status")
	for _, want := range []string{"API token:", toolsAPI + ", until ", toolsCacheAPI + ", until "} {
		if !strings.Contains(text, want) {
			t.Errorf("status lacks %q:\n%s", want, text)
		}
	}
	var st statusJSON
	out := h.mustRun("", "status", "--json")
	mustJSON(t, out, &st)
	if len(st.APITokens) != 2 || st.APITokens[0].Resource != toolsAPI || st.APITokens[1].Resource != toolsCacheAPI ||
		!st.APITokens[0].Expiry.After(h.CLIClock.Now()) {
		t.Errorf("status --json api_tokens = %+v, want %s then %s, not expired", st.APITokens, toolsAPI, toolsCacheAPI)
	}
	if strings.Contains(text+out, a) || strings.Contains(text+out, b) {
		t.Error("status shows a kept token")
	}
	h.CLIClock.Advance(time.Hour)
	if text := h.run("", "status").stdout; !strings.Contains(text, toolsAPI+", expired ") {
		t.Errorf("an hour later, status does not say the API token expired:\n%s", text)
	}
}
