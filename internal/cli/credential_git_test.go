package cli

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// basicAsBearer is how git hosts take a token from git, which sends it as
// an HTTP Basic password (git before 2.46 knows no other way): the
// password is used as the bearer token. A 401 asks for Basic credentials,
// so that git calls its credential helpers.
func basicAsBearer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pw, ok := r.BasicAuth(); ok {
			r.Header.Set("Authorization", "Bearer "+pw)
		}
		next.ServeHTTP(basicChallenge{w}, r)
	})
}

type basicChallenge struct{ http.ResponseWriter }

func (b basicChallenge) WriteHeader(code int) {
	if code == http.StatusUnauthorized {
		b.Header().Add("WWW-Authenticate", `Basic realm="git"`)
	}
	b.ResponseWriter.WriteHeader(code)
}

// gitServer serves a bare repository data.git, holding README with
// content, over git's smart HTTP (git http-backend) behind resource.
func gitServer(t *testing.T, issuer, content string) (url string, seen *requests) {
	t.Helper()
	root, work := t.TempDir(), t.TempDir()
	git(t, "", "init", "-q", "--bare", filepath.Join(root, "data.git"))
	git(t, work, "init", "-q")
	if err := os.WriteFile(filepath.Join(work, "README"), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	git(t, work, "add", "README")
	git(t, work, "-c", "user.name=Ada", "-c", "user.email=ada@example.org", "commit", "-q", "-m", "data")
	git(t, work, "push", "-q", filepath.Join(root, "data.git"), "HEAD:refs/heads/main")
	git(t, root, "--git-dir", "data.git", "symbolic-ref", "HEAD", "refs/heads/main")
	execPath := strings.TrimSpace(git(t, "", "--exec-path"))
	backend := &cgi.Handler{Path: filepath.Join(execPath, "git-http-backend"),
		Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1"}}
	return protected(t, issuer, backend, basicAsBearer)
}

// git runs git in dir, isolated from the user's and the system's
// configuration, and returns its output.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := gitCmd(t, dir, nil, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func gitCmd(t *testing.T, dir string, env []string, args ...string) *exec.Cmd {
	c := exec.Command("git", args...)
	c.Dir = dir
	c.Env = append(os.Environ(), "HOME="+t.TempDir(), "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "SSH_ASKPASS=")
	c.Env = append(c.Env, env...)
	return c
}

// TestGitCredentialClone clones with the real git over HTTP from a
// repository behind resource, git asking hubauth for the credentials:
// answered for the configured host, and only for it.
func TestGitCredentialClone(t *testing.T) {
	t.Parallel()
	needTool(t, "git")
	h := newUserHub(t)
	toolsLogin(t, h)
	sess, _ := h.stored("")
	base, seen := gitServer(t, h.URL, "measurements\n")
	other := "http://127.0.0.1:1" // another port: another origin
	tests := []struct {
		name     string
		host     string
		httpPath bool // credential.useHttpPath
		ok       bool
	}{
		{"configured host", base, false, true},
		{"configured repository", base + "/data.git", true, true},
		{"another host", other, false, false},
		{"another repository on the host", base + "/other.git", true, false},
		{"repository scope without useHttpPath", base + "/data.git", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen.reset()
			dest := filepath.Join(t.TempDir(), "clone")
			args := []string{"-c", "credential.helper=", "-c", "credential.helper=!hubauth credential git --resource " + toolsAPI + " --host " + tt.host,
				"-c", "credential.useHttpPath=" + strconv.FormatBool(tt.httpPath), "clone", "-q", base + "/data.git", dest}
			out, err := gitCmd(t, "", []string{"HUBAUTH_DATA_DIR=" + h.DataDir}, args...).CombinedOutput()
			tokens, _ := seen.seen()
			if !tt.ok {
				if err == nil || len(tokens) != 0 {
					t.Fatalf("git clone: %v, tokens sent %d; want a failure and no token sent\n%s", err, len(tokens), out)
				}
				return
			}
			if err != nil {
				t.Fatalf("git clone: %v\n%s", err, out)
			}
			if got, _ := os.ReadFile(filepath.Join(dest, "README")); string(got) != "measurements\n" {
				t.Errorf("cloned README = %q", got)
			}
			if len(tokens) != 1 || tokens[0] == sess.AccessToken || !slices.Equal(jwtAudience(tokens[0]), []string{toolsAPI}) {
				t.Errorf("the server saw %d distinct tokens (the session's: %v), want one for %s", len(tokens), slices.Contains(tokens, sess.AccessToken), toolsAPI)
			}
		})
	}
}

func TestGitCredentialProtocol(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	const git = "https://git.example.org"
	registerAPI(t, h, "git", git, "git:read")
	h.login("--scopes", "git:read")
	const exp = "password_expiry_utc=EXP\n"
	answer := "username=hubauth\npassword=TOKEN\n" + exp
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"get", []string{"get"}, "protocol=https\nhost=git.example.org\n\n", answer},
		{"get at the end of input", []string{"get"}, "protocol=https\nhost=git.example.org", answer},
		{"default port", []string{"get"}, "protocol=https\nhost=git.example.org:443\n\n", answer},
		{"user name kept", []string{"get"}, "protocol=https\nhost=git.example.org\nusername=ada\n\n", "password=TOKEN\n" + exp},
		{"--username", []string{"--username", "oauth2", "get"}, "protocol=https\nhost=git.example.org\n\n", "username=oauth2\npassword=TOKEN\n" + exp},
		{"authtype capability (git 2.46+)", []string{"get"}, "capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=git.example.org\n\n",
			"capability[]=authtype\nauthtype=Bearer\ncredential=TOKEN\nephemeral=true\n" + exp},
		{"another host", []string{"get"}, "protocol=https\nhost=evil.example.org\n\n", ""},
		{"a host with our name in it", []string{"get"}, "protocol=https\nhost=git.example.org.evil.example\n\n", ""},
		{"another port", []string{"get"}, "protocol=https\nhost=git.example.org:8443\n\n", ""},
		{"plain http", []string{"get"}, "protocol=http\nhost=git.example.org\n\n", ""},
		{"no protocol", []string{"get"}, "host=git.example.org\n\n", ""},
		{"store", []string{"store"}, "protocol=https\nhost=git.example.org\nusername=hubauth\npassword=x\n\n", ""},
		{"erase", []string{"erase"}, "protocol=https\nhost=git.example.org\nusername=hubauth\npassword=x\n\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"credential", "git", "--host", git}, tt.args...)
			r := h.run(tt.stdin, args...)
			if got := gitAnswerShape(t, r.stdout, git); r.code != ExitOK || got != tt.want || r.stderr != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want %q", r.code, got, r.stderr, tt.want)
			}
		})
	}
}

// gitAnswerShape is answer with its token replaced by TOKEN, after checking
// that its aud is api, and its expiry by EXP, after checking it is the
// token's.
func gitAnswerShape(t *testing.T, answer, api string) string {
	t.Helper()
	lines := strings.SplitAfter(answer, "\n")
	var exp int64
	for i, l := range lines {
		k, v, _ := strings.Cut(strings.TrimSuffix(l, "\n"), "=")
		switch k {
		case "password", "credential":
			if aud := jwtAudience(v); !slices.Equal(aud, []string{api}) {
				t.Errorf("the answer's token has aud %q, want %s", aud, api)
			}
			exp = peekExp(t, v)
			lines[i] = k + "=TOKEN\n"
		case "password_expiry_utc":
			if got, err := strconv.ParseInt(v, 10, 64); err != nil || got < exp-1 || got > exp { // expires_in by the CLI's clock, or exp
				t.Errorf("password_expiry_utc = %s, want the token's exp %d", v, exp)
			}
			lines[i] = k + "=EXP\n"
		}
	}
	return strings.Join(lines, "")
}

// peekExp is a JWT's exp, read without verifying it.
func peekExp(t *testing.T, token string) int64 {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %d parts", len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct{ Exp int64 }
	if err != nil || json.Unmarshal(payload, &claims) != nil {
		t.Fatalf("JWT payload: %v", err)
	}
	return claims.Exp
}

func TestGitCredentialRefused(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	req := "protocol=https\nhost=git.example.org\n\n"
	for _, tt := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--host", "http://git.example.org", "get"}, ExitUsage, "plain http to another machine would show the token to the network"},
		{[]string{"--host", "git.example.org", "get"}, ExitUsage, "must be an http(s) URL"},
		{[]string{"--host", "https://user@git.example.org", "get"}, ExitUsage, "must be an http(s) URL"},
		{[]string{"--host", "https://git.example.org"}, ExitUsage, "missing get|store|erase"},
		{[]string{"--host", "https://git.example.org", "fill"}, ExitUsage, `unknown action "fill"`},
		{[]string{"--host", "https://git.example.org", "get"}, ExitAuthNeeded, "not logged in"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := h.run(req, append([]string{"credential", "git"}, tt.args...)...)
			wantFailure(t, r, tt.code, tt.msg)
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
	h.login()
	r := h.run(req, "credential", "git", "get")
	if r.code != ExitOK || r.stdout != "" || !strings.Contains(r.stderr, "answers nothing without --host") {
		t.Errorf("get without --host: exit %d, %q, %q; want no answer and a warning", r.code, r.stdout, r.stderr)
	}
	r = h.run("protocol=https\nbad line\n\n", "credential", "git", "--host", "https://git.example.org", "get")
	wantFailure(t, r, ExitError, "a request line without '='")
	r = h.run(req, "credential", "git", "--insecure-http", "--host", "http://git.example.org", "get")
	if r.code != ExitOK || r.stdout != "" {
		t.Errorf("--insecure-http with an http host, asked for https: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
}
