package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startServe runs `hubauth serve` in the background on a free port and
// returns its address and a function that stops it (like SIGTERM) and
// returns serveRun's error.
func startServe(t *testing.T, h *testHub, mutate func(*ServeOptions)) (string, *ServeOptions, func() error) {
	t.Helper()
	ios, _, out, errOut := NewTestIOStreams()
	env := Env{IO: ios, Getenv: func(k string) string { return h.env[k] }, Now: time.Now, Context: t.Context()}
	f := NewFactory(env)
	ctx, cancel := context.WithCancel(t.Context())
	listening := make(chan string, 1)
	opts := &ServeOptions{IO: ios, Ctx: ctx, Now: time.Now, OpenStore: f.OpenStore, HashPassword: f.HashPassword,
		Addr: "127.0.0.1:0", Dev: true, LogFormat: "json", NomadGetToken: true,
		Listening: func(addr string) { listening <- addr }}
	mutate(opts)
	done := make(chan error, 1)
	go func() { done <- serveRun(opts) }()
	select {
	case addr := <-listening:
		t.Cleanup(cancel)
		return addr, opts, func() error {
			cancel()
			err := <-done
			t.Logf("stdout:\n%s\nstderr:\n%s", out, errOut)
			return err
		}
	case err := <-done:
		cancel()
		t.Fatalf("serve exited early: %v\n%s", err, errOut)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	return "", nil, nil
}

var demoPasswordLine = regexp.MustCompile(`created user "demo" with password (\S+)`)

func TestServeDevCreatesDemoUserAndShutsDownGracefully(t *testing.T) {
	h := newTestHub(t)
	addr, opts, stop := startServe(t, h, func(o *ServeOptions) { o.Issuer = "" })
	base := "http://" + addr
	if opts.Issuer != base {
		t.Errorf("issuer = %q, want %q", opts.Issuer, base)
	}
	out := opts.IO.Out.(fmt.Stringer).String()
	m := demoPasswordLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no demo password printed: %q", out)
	}
	resp, err := http.PostForm(base+"/api/v1/auth/token", url.Values{"username": {"demo"}, "password": {m[1]}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login with the printed password: %v %v", err, resp)
	}
	resp.Body.Close()

	// A request in flight when the server is told to stop still completes.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "username=demo&password=wrong"
	fmt.Fprintf(conn, "POST /api/v1/auth/token HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body[:5])
	time.Sleep(50 * time.Millisecond) // the server is now reading the body
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	time.Sleep(50 * time.Millisecond)
	fmt.Fprint(conn, body[5:])
	answer, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil || answer.StatusCode != http.StatusUnauthorized {
		t.Fatalf("in-flight request during shutdown: %v %v", err, answer)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("serve returned %v after shutdown", err)
	}
	logs := opts.IO.ErrOut.(fmt.Stringer).String()
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		if !json.Valid([]byte(line)) {
			t.Fatalf("--log-format json wrote a non-JSON line: %q", line)
		}
	}
	if strings.Contains(logs, m[1]) {
		t.Fatal("the demo password is in the logs")
	}
}

func TestServeRefusesInsecureIssuerWithoutDev(t *testing.T) {
	h := newTestHub(t)
	r := h.run("", "serve", "--addr", "127.0.0.1:0", "--issuer", "http://auth.example.org")
	if r.code != ExitError || !strings.Contains(r.stderr, "http on a non-loopback host") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	r = h.run("", "serve", "--log-format", "xml")
	if r.code != ExitUsage {
		t.Fatalf("bad --log-format: exit %d, want %d", r.code, ExitUsage)
	}
	r = h.run("", "serve", "--addr", "127.0.0.1:0", "--app-token-max", "500ms")
	if r.code != ExitError || !strings.Contains(r.stderr, "app-token-max) must be at least 1s") {
		t.Fatalf("--app-token-max 500ms: exit %d, stderr %q", r.code, r.stderr)
	}
}
