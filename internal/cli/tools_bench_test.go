package cli

import (
	"strings"
	"testing"
)

// BenchmarkGitCredentialGet measures `hubauth credential git get` for an
// allowed host with a valid stored session, as git runs it before each
// authenticated fetch or push (minus process start-up). The first get
// refreshes the session for the host's API; the token is kept in
// tokens.json, so the others read it there and make no request.
func BenchmarkGitCredentialGet(b *testing.B) {
	h := newUserHub(b)
	registerAPI(b, h, "git", "https://git.example.org", "git:read")
	h.mustRun(demoPassword+"\n", "login", "--server", h.URL, "--username", demoUser, "--password-stdin", "--scopes", "git:read")
	getenv := func(k string) string { return h.Env[k] }
	args := []string{"credential", "git", "--host", "https://git.example.org", "get"}
	b.ReportAllocs()
	for b.Loop() {
		ios, in, out, _ := NewTestIOStreams()
		in.WriteString("protocol=https\nhost=git.example.org\npath=data.git\n\n")
		if code := Main(args, Env{IO: ios, Getenv: getenv}); code != ExitOK || !strings.Contains(out.String(), "password=eyJ") {
			b.Fatalf("hubauth credential git get: exit %d, %q", code, out)
		}
	}
}

// BenchmarkTokenExecCredential measures `hubauth token --exec-credential`
// with a valid stored session, as kubectl runs it when its cached
// credential expires (minus process start-up).
func BenchmarkTokenExecCredential(b *testing.B) {
	h := newUserHub(b)
	h.mustRun(demoPassword+"\n", "login", "--server", h.URL, "--username", demoUser, "--password-stdin")
	env := map[string]string{"HUBAUTH_DATA_DIR": h.DataDir,
		"KUBERNETES_EXEC_INFO": `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}`}
	getenv := func(k string) string { return env[k] }
	b.ReportAllocs()
	for b.Loop() {
		ios, _, out, _ := NewTestIOStreams()
		if code := Main([]string{"token", "--exec-credential"}, Env{IO: ios, Getenv: getenv}); code != ExitOK || !strings.Contains(out.String(), `"token": "eyJ`) {
			b.Fatalf("hubauth token --exec-credential: exit %d, %q", code, out)
		}
	}
}
