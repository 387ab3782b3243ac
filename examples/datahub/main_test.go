package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
)

func noEnv(string) string { return "" }

func TestRunUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no issuer", nil, 2, "--issuer is required"},
		{"unknown flag", []string{"--issuer", "http://x", "--nope"}, 2, "flag provided but not defined"},
		{"argument", []string{"--issuer", "http://x", "extra"}, 2, `unexpected argument "extra"`},
		{"client id without secret", []string{"--issuer", "http://x", "--client-id", "datahub"}, 2, "--client-secret"},
		{"scope with a space", []string{"--issuer", "http://x", "--write-scope", "a b"}, 2, "one scope each"},
		{"help", []string{"--help"}, 0, "-issuer"},
		{"no audience", []string{"--issuer", "http://x"}, 2, "--public-url is required"},
		{"any audience and audience", []string{"--issuer", "http://x", "--any-audience", "--audience", "urn:x"}, 2, "contradict"},
		{"public URL not absolute", []string{"--issuer", "http://127.0.0.1:1", "--public-url", "data.example.org"}, 1, "must be an absolute http(s) URL"},
		{"issuer unreachable", []string{"--issuer", "http://127.0.0.1:1", "--public-url", "http://127.0.0.1:8081"}, 1, "resource: discovery"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := run(context.Background(), tc.args, noEnv, io.Discard, &stderr)
			if code != tc.code || !strings.Contains(stderr.String(), tc.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), tc.code, tc.msg)
			}
		})
	}
}

func TestRunServesUntilCancelled(t *testing.T) {
	h := newHub(t)
	id, sec := h.apiClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, w := io.Pipe()
	env := map[string]string{"DATAHUB_CLIENT_SECRET": sec}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--issuer", h.URL, "--addr", "127.0.0.1:0", "--client-id", id, "--any-audience",
			"--db", filepath.Join(t.TempDir(), "d.db")}, func(k string) string { return env[k] }, w, io.Discard)
		w.Close()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "datahub listening on http://127.0.0.1:") {
		t.Fatalf("first line %q, %v", line, err)
	}
	base := strings.Fields(line)[3]
	resp, err := http.Get(base + "/api/v1/datasets")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET datasets: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d after cancel, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
}

// TestWarnUnregistered: at start the data hub names each scope it
// requires that the hub does not grant, with the command that registers it.
func TestWarnUnregistered(t *testing.T) {
	h := &hub{Hub: hubtest.New(t, hubtest.WithScope("uploads:read", "see your uploads"))}
	register := `register="hubauth admin scope add uploads:write --description \"create and publish uploads\""`
	for _, tc := range []struct {
		name      string
		args      []string
		want, not string
	}{
		{"uploads:write missing", nil, register, "scope=uploads:read"},
		{"its check off", []string{"--write-scope", ""}, "", "level=WARN"},
		{"hub unreachable", []string{"--issuer", "http://127.0.0.1:1"}, "", "level=WARN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseFlags(append([]string{"--issuer", h.URL, "--public-url", "http://127.0.0.1:8081"}, tc.args...), noEnv, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			var logged bytes.Buffer
			warnUnregistered(t.Context(), o, slog.New(slog.NewTextHandler(&logged, nil)))
			if !strings.Contains(logged.String(), tc.want) || strings.Contains(logged.String(), tc.not) {
				t.Errorf("logged %q; want %q and not %q", logged.String(), tc.want, tc.not)
			}
		})
	}
}

// TestNoServerSideImports keeps the example honest: a data API needs only
// resource, not the hub's internals.
func TestNoServerSideImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/hubauth/hubauth/internal/") || strings.HasPrefix(dep, "github.com/zitadel/") {
			t.Errorf("datahub imports %s", dep)
		}
	}
}
