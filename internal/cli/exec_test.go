//go:build unix

package cli

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/resource"
)

// whoami answers a protected request with the caller's subject.
var whoami = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	c, _ := resource.CallerFrom(r.Context())
	io.WriteString(w, "hello "+c.Subject+"\n")
})

// TestExecAcrossExpiry runs a command that outlives the first access
// token: it reads the bearer file, waits past that token's expiry, and
// calls a protected API with the file's token, which must then be a new
// one, while the first is refused.
func TestExecAcrossExpiry(t *testing.T) {
	t.Parallel()
	h := newUserHub(t, shortTokens(4*time.Second))
	toolsLogin(t, h)
	api, _ := protected(t, h.URL, whoami)
	script := `
first=$(cat "$BEARER_TOKEN_FILE")
sleep 5
second=$(cat "$BEARER_TOKEN_FILE")
[ "$first" != "$second" ] || { echo "the file was not refreshed" >&2; exit 3; }
if curl -fsS -o /dev/null -H "Authorization: Bearer $first" "$1"; then echo "the expired token was accepted" >&2; exit 4; fi
curl -fsS -H "Authorization: Bearer $second" "$1" || exit 5
echo "$BEARER_TOKEN_FILE"
exit 7`
	needTool(t, "curl")
	r := h.run("", "exec", "--resource", toolsAPI, "--min-valid", "3s", "--", "sh", "-c", script, "sh", api)
	if r.code != 7 || !strings.HasPrefix(r.stdout, "hello "+h.Users[demoUser]+"\n") {
		t.Fatalf("exec: exit %d, want the command's 7; stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	path := strings.TrimSpace(strings.TrimPrefix(r.stdout, "hello "+h.Users[demoUser]+"\n"))
	if !strings.HasSuffix(path, "/bearer_token") {
		t.Fatalf("BEARER_TOKEN_FILE = %q", path)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the bearer file is still there after exit: %v", err)
	}
	if _, err := os.Stat(strings.TrimSuffix(path, "/bearer_token")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the private directory is still there after exit: %v", err)
	}
}

func TestExecFile(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	sess, _ := h.stored("")
	script := `ls -ld "$(dirname "$BEARER_TOKEN_FILE")" | cut -c1-10; ls -l "$BEARER_TOKEN_FILE" | cut -c1-10; cat "$BEARER_TOKEN_FILE"; echo "[$BEARER_TOKEN]"`
	r := h.run("", "exec", "--", "sh", "-c", script)
	want := "drwx------\n-rw-------\n" + sess.AccessToken + "\n[]\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("exec: exit %d, stdout %q, want %q (stderr %q)", r.code, r.stdout, want, r.stderr)
	}
}

func TestExecExitCodes(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	for _, tt := range []struct {
		script string
		code   int
	}{
		{"true", 0},
		{"exit 3", 3},
		{"kill -KILL $$", 128 + 9},
	} {
		t.Run(tt.script, func(t *testing.T) {
			if r := h.run("", "exec", "--", "sh", "-c", tt.script); r.code != tt.code || r.stderr != execAccountWideWarning+"\n" {
				t.Errorf("exit %d, stderr %q; want %d and the account-wide warning", r.code, r.stderr, tt.code)
			}
		})
	}
	r := h.run("", "exec", "--", "/nonexistent/command")
	r.stderr = strings.TrimPrefix(r.stderr, execAccountWideWarning+"\n")
	wantFailure(t, r, ExitError, "exec: fork/exec /nonexistent/command")
}

func TestExecUsage(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"exec"}, "missing COMMAND"},
		{[]string{"exec", "--"}, "missing COMMAND"},
		{[]string{"exec", "--min-valid", "0s", "--", "true"}, "--min-valid must be positive"},
	} {
		wantFailure(t, h.run("", tt.args...), ExitUsage, tt.msg)
	}
	wantFailure(t, h.run("", "exec", "--server", h.URL, "--", "true"), ExitAuthNeeded, "not logged in")
	h.login()
	wantFailure(t, h.run("", "exec", "--resource", "not a uri", "--", "true"), ExitUsage, "must be an absolute URI")
}

func TestExecForwardedSignals(t *testing.T) {
	for _, tt := range []struct {
		sig         syscall.Signal
		interactive bool
		want        bool
	}{
		{syscall.SIGINT, false, true}, {syscall.SIGQUIT, false, true}, {syscall.SIGTERM, false, true}, {syscall.SIGHUP, false, true},
		{syscall.SIGINT, true, false}, {syscall.SIGQUIT, true, false}, {syscall.SIGTERM, true, true}, {syscall.SIGHUP, true, true},
	} {
		if got := forwarded(tt.sig, tt.interactive); got != tt.want {
			t.Errorf("forwarded(%v, terminal %v) = %v, want %v", tt.sig, tt.interactive, got, tt.want)
		}
	}
}

// TestExecSignals runs hubauth exec as its own process (the test binary
// under the name hubauth, see TestMain) and sends it signals: each must
// reach the command, which they end, and hubauth must exit as the shells
// report that, 128+N. (A command that traps the signal returns its own
// status, as TestExecExitCodes shows for exit codes.)
func TestExecSignals(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			c := exec.Command("hubauth", "exec", "--", "sh", "-c", `echo "$BEARER_TOKEN_FILE"; exec sleep 600`)
			c.Env = append(os.Environ(), "HUBAUTH_DATA_DIR="+h.DataDir)
			c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // to clean up after a failure
			var errOut bytes.Buffer
			c.Stderr = &errOut
			out, err := c.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			defer syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
			lines := bufio.NewScanner(out)
			if !lines.Scan() || !strings.HasSuffix(lines.Text(), "/bearer_token") {
				t.Fatalf("first line %q, stderr %q", lines.Text(), errOut.String())
			}
			path := lines.Text()
			// A hubauth that kept the signal to itself would wait for
			// sleep 600: after a generous while, end the test instead.
			watchdog := time.AfterFunc(60*time.Second, func() { syscall.Kill(-c.Process.Pid, syscall.SIGKILL) })
			defer watchdog.Stop()
			if err := c.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			for lines.Scan() {
				t.Errorf("more output: %q", lines.Text())
			}
			var ee *exec.ExitError
			if err := c.Wait(); !errors.As(err, &ee) || ee.ExitCode() != 128+int(sig) {
				t.Errorf("after %v: %v, want exit status %d; stderr:\n%s", sig, err, 128+int(sig), errOut.String())
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("after %v the bearer file is still there: %v", sig, err)
			}
		})
	}
}

// TestExecResource asks for tokens for a registered API (RFC 8707): the
// refresh request carries the resource parameter, the API (checking its
// own audience) accepts the token, and the session's stored access token
// is not replaced by the API's. An API the login does not cover is
// refused by the hub, and the session stays.
func TestExecResource(t *testing.T) {
	t.Parallel()
	needTool(t, "curl")
	var mu sync.Mutex
	var resources []string
	h := newUserHub(t)
	h.Hub = hubtest.New(t, hubtest.WithUser(demoUser, demoPassword), hubtest.WithHandler(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				body, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
				if v, _ := url.ParseQuery(string(body)); v.Get("grant_type") == "refresh_token" {
					mu.Lock()
					resources = append(resources, v.Get("resource"))
					mu.Unlock()
				}
			}
			next.ServeHTTP(w, r)
		})
	}))
	const dataURI, computeURI = "https://data.example.org/api", "https://compute.example.org"
	registerAPI(t, h, "datahub", dataURI, "uploads:read")
	registerAPI(t, h, "compute", computeURI, "jobs:run")
	api, _ := protectedAPI(t, h.URL, dataURI, whoami)
	h.login("--scopes", "openid,offline_access,uploads:read")
	before, _ := h.stored("")
	r := h.run("", "exec", "--resource", dataURI, "--", "sh", "-c", `curl -fsS -H "Authorization: Bearer $(cat "$BEARER_TOKEN_FILE")" "$1"`, "sh", api)
	after, _ := h.stored("")
	mu.Lock()
	got := slices.Clone(resources)
	mu.Unlock()
	if r.code != 0 || r.stdout != "hello "+h.Users[demoUser]+"\n" || !slices.Equal(got, []string{dataURI}) {
		t.Fatalf("exec --resource: exit %d, %q (%s); refresh requests with resources %q, want one with %s", r.code, r.stdout, r.stderr, got, dataURI)
	}
	if after.AccessToken != before.AccessToken || after.RefreshToken == before.RefreshToken {
		t.Errorf("stored session: access token replaced %v, refresh token rotated %v; want false, true",
			after.AccessToken != before.AccessToken, after.RefreshToken != before.RefreshToken)
	}
	for _, uri := range []string{computeURI, "https://unknown.example.org"} {
		r = h.run("", "exec", "--resource", uri, "--", "true")
		wantFailure(t, r, ExitError, "invalid_target")
	}
	if r := h.run("", "token", "--min-valid", "20m"); r.code != ExitOK {
		t.Errorf("the session after refused resources: exit %d, %s", r.code, r.stderr)
	}
}
