package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestPATUserinfo(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantLogins int64
		wantLeft   int // personal tokens still live after the run
		wantSample string
	}{
		{name: "creates a token, uses it, revokes it",
			args:     []string{"--username", "demo", "--password-file", "-"},
			wantCode: exitOK, wantLogins: 1},
		{name: "with a given token",
			args:     []string{"--token-file", "-"},
			wantCode: exitOK},
		{name: "an empty token file is a usage error",
			args:     []string{"--token-file", "/dev/null"},
			wantCode: exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeServer(t)
			stdin := "pw\n"
			if tt.args[0] == "--token-file" {
				stdin = "hubauth_pat_given\n"
			}
			var stdout, stderr bytes.Buffer
			args := append([]string{"--issuer", f.URL, "--concurrency", "4", "--warmup", "50ms",
				"--duration", "200ms", "--scenario", "pat_userinfo"}, tt.args...)
			code := Main(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit code = %d, want %d; stderr %q", code, tt.wantCode, stderr.String())
			}
			if code != exitOK {
				return
			}
			if f.userinfos.Load() == 0 || !strings.Contains(stdout.String(), "pat_userinfo") {
				t.Errorf("users/me requests = %d, stdout %q; want some and a result", f.userinfos.Load(), stdout.String())
			}
			if got := f.logins.Load(); got != tt.wantLogins {
				t.Errorf("logins = %d, want %d", got, tt.wantLogins)
			}
			f.mu.Lock()
			left := len(f.pats)
			f.mu.Unlock()
			if left != 0 || strings.Contains(stderr.String(), "revoke") {
				t.Errorf("live personal tokens after the run = %d, stderr %q; want the created one revoked", left, stderr.String())
			}
		})
	}
}

func TestPATUserinfoRefused(t *testing.T) {
	f := newFakeServer(t)
	res, code := runMain(t, f, "--scenario", "pat_userinfo", "--duration", "200ms", "--token-file", "-")
	// runMain's stdin is "pw\n": not a token the fake knows.
	want := `status 401: {"error":"invalid_token"}`
	if code != exitError || res.OK != 0 || len(res.ErrorSamples) != 1 || res.ErrorSamples[0].Error != want {
		t.Errorf("exit code = %d, ok = %d, samples %v; want 1, 0, only %q", code, res.OK, res.ErrorSamples, want)
	}
}

func TestPATSetupFailure(t *testing.T) {
	f := newFakeServer(t)
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"--issuer", f.URL, "--scenario", "pat_userinfo",
		"--username", "demo", "--password", "nope"}, nil, &stdout, &stderr)
	if code != exitError || !strings.Contains(stderr.String(), "login: status 401") {
		t.Errorf("exit code = %d, stderr %q; want 1 and the login's 401", code, stderr.String())
	}
}
