package cli

import (
	"strings"
	"testing"
)

// BenchmarkTokenCommand measures `hubauth token` through Main with a valid
// stored session: the work a script pays per call, minus process start-up
// (see bench/token.sh for the built binary). It makes no request: the
// server is found in, and the token read from, tokens.json.
func BenchmarkTokenCommand(b *testing.B) {
	h := newUserHub(b)
	h.mustRun(demoPassword+"\n", "login", "--server", h.URL, "--username", demoUser, "--password-stdin")
	getenv := func(k string) string { return h.Env[k] }
	b.ReportAllocs()
	for b.Loop() {
		ios, _, out, _ := NewTestIOStreams()
		if code := Main([]string{"token"}, Env{IO: ios, Getenv: getenv}); code != ExitOK || !strings.HasPrefix(out.String(), "eyJ") {
			b.Fatalf("hubauth token: exit %d, %q", code, out)
		}
	}
}
