package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestIntrospect(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantCode   int
		wantLogins int64
	}{
		{name: "an access token of a login", args: []string{"--username", "demo", "--password-file", "-"},
			stdin: "pw\n", wantCode: exitOK, wantLogins: 1},
		{name: "a given token", args: []string{"--token-file", "-"}, stdin: "hubauth_pat_given\n", wantCode: exitOK},
		{name: "an inactive token is an error", args: []string{"--token-file", "-"}, stdin: "unknown\n", wantCode: exitError},
		{name: "the resource server's secret refused", args: []string{"--token-file", "-", "--client-secret", "wrong"},
			stdin: "hubauth_pat_given\n", wantCode: exitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeServer(t)
			var stdout, stderr bytes.Buffer
			args := append([]string{"--issuer", f.URL, "--concurrency", "4", "--warmup", "50ms", "--duration", "200ms",
				"--scenario", "introspect", "--client-id", "rs", "--client-secret", "rs-secret"}, tt.args...)
			code := Main(context.Background(), args, strings.NewReader(tt.stdin), &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit code = %d, want %d; stderr %q", code, tt.wantCode, stderr.String())
			}
			if got := f.logins.Load(); got != tt.wantLogins {
				t.Errorf("logins = %d, want %d", got, tt.wantLogins)
			}
			if code == exitOK && (f.introspections.Load() == 0 || !strings.Contains(stdout.String(), "introspect")) {
				t.Errorf("introspections = %d, stdout %q; want some and a result", f.introspections.Load(), stdout.String())
			}
		})
	}
}
