package cli

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/hubtest"
)

// TestTokenResource: token --resource prints a token for the API, not the
// session's account-wide one, in every output.
func TestTokenResource(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	toolsLogin(t, h)
	sess, _ := h.stored("")
	for _, args := range [][]string{{"token", "--resource", toolsAPI}, {"token", "--resource", toolsAPI, "--exec-credential"}} {
		r := h.run("", args...)
		tok := strings.TrimSpace(r.stdout)
		if args[len(args)-1] == "--exec-credential" {
			var ec struct{ Status struct{ Token string } }
			mustJSON(t, r.stdout, &ec)
			tok = ec.Status.Token
		}
		if r.code != ExitOK || tok == sess.AccessToken || !slices.Equal(jwtAudience(tok), []string{toolsAPI}) {
			t.Errorf("%s: exit %d (%s), the session's token %v, aud %q; want a token for %s",
				strings.Join(args, " "), r.code, r.stderr, tok == sess.AccessToken, jwtAudience(tok), toolsAPI)
		}
	}
	wantFailure(t, h.run("", "token", "--resource", "https://unknown.example.org"), ExitError, "invalid_target")
}

// TestGitCredentialNotAccountWide: a session that covers no API at the
// git host gets no answer and one warning, never the session's token.
func TestGitCredentialNotAccountWide(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	sess, _ := h.stored("")
	r := h.run("protocol=https\nhost=git.example.org\n\n", "credential", "git", "--host", "https://git.example.org", "get")
	if r.code != ExitOK || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 ||
		!strings.Contains(r.stderr, "answers nothing for https://git.example.org") || strings.Contains(r.stderr, sess.AccessToken) {
		t.Errorf("exit %d, stdout %q, stderr %q; want no answer and one warning", r.code, r.stdout, r.stderr)
	}
}

// TestToolsResourceIgnored: a provider that ignores the resource parameter
// (here the hub, the parameter taken out of the refresh request) answers
// with a token for the CLI itself, which token --resource, exec --resource
// and credential git refuse to hand out.
func TestToolsResourceIgnored(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.Hub = hubtest.New(t, hubtest.WithUser(demoUser, demoPassword), hubtest.WithHandler(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				body, _ := io.ReadAll(r.Body)
				v, _ := url.ParseQuery(string(body))
				v.Del("resource")
				r.Body = io.NopCloser(bytes.NewReader([]byte(v.Encode())))
				r.ContentLength = int64(len(v.Encode()))
			}
			next.ServeHTTP(w, r)
		})
	}))
	h.login()
	sess, _ := h.stored("")
	const msg = "the provider ignored the resource " + toolsAPI
	for _, args := range [][]string{{"token", "--resource", toolsAPI}, {"exec", "--resource", toolsAPI, "--", "sh", "-c", `cat "$BEARER_TOKEN_FILE"`}} {
		r := h.run("", args...)
		wantFailure(t, r, ExitError, msg)
		if r.stdout != "" || strings.Contains(r.stderr, sess.AccessToken) || !strings.Contains(r.stderr, client.DefaultClientID) {
			t.Errorf("%s: stdout %q, stderr %q; want nothing and the refusal", args[0], r.stdout, r.stderr)
		}
	}
	r := h.run("protocol=https\nhost=git.example.org\n\n", "credential", "git", "--resource", toolsAPI, "--host", "https://git.example.org", "get")
	wantFailure(t, r, ExitError, msg)
	if r.stdout != "" {
		t.Errorf("credential git answered %q", r.stdout)
	}
}
