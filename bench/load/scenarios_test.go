package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runMain runs Main with args plus --json against f and decodes the result.
func runMain(t *testing.T, f *fakeServer, args ...string) (jsonResult, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args = append([]string{"--issuer", f.URL, "--json", "--concurrency", "4", "--warmup", "50ms"}, args...)
	code := Main(context.Background(), args, strings.NewReader("pw\n"), &stdout, &stderr)
	var res jsonResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("Main(%q) = %d, stdout %q, stderr %q: %v", args, code, stdout.String(), stderr.String(), err)
	}
	return res, code
}

func TestClientCredentials(t *testing.T) {
	f := newFakeServer(t)
	tests := []struct {
		name       string
		secret     string
		wantCode   int
		wantSample string
	}{
		{name: "accepted", secret: "s:cret", wantCode: exitOK},
		{name: "bad secret", secret: "wrong", wantCode: exitError, wantSample: `status 401: {"error":"invalid_client"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, code := runMain(t, f, "--scenario", "client_credentials", "--duration", "200ms",
				"--client-id", "svc", "--client-secret", tt.secret)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d", code, tt.wantCode)
			}
			if tt.wantSample == "" && (res.OK == 0 || res.Errors != 0) {
				t.Errorf("ok = %d, errors = %d (%v); want ok > 0 and no errors", res.OK, res.Errors, res.ErrorSamples)
			}
			if tt.wantSample != "" && (len(res.ErrorSamples) != 1 || res.ErrorSamples[0].Error != tt.wantSample) {
				t.Errorf("error samples = %v, want one %q", res.ErrorSamples, tt.wantSample)
			}
			if res.Requests != res.OK+res.Errors+res.Throttled || res.Throughput <= 0 {
				t.Errorf("requests = %d, throughput = %v: inconsistent", res.Requests, res.Throughput)
			}
		})
	}
}

func TestPasswordThrottledIsNotAnError(t *testing.T) {
	f := newFakeServer(t, func(f *fakeServer) { f.throttleEvery = 5 })
	// Retry-After: 1 puts a throttled worker to sleep past the run, so no warm-up.
	res, code := runMain(t, f, "--scenario", "password", "--duration", "300ms", "--warmup", "0s",
		"--username", "demo", "--password-file", "-")
	if code != exitOK || res.Errors != 0 {
		t.Errorf("exit code = %d, errors = %d (%v); want 0, 0", code, res.Errors, res.ErrorSamples)
	}
	if res.Throttled == 0 || res.OK == 0 {
		t.Errorf("throttled = %d, ok = %d; want both > 0", res.Throttled, res.OK)
	}
}

func TestRefresh(t *testing.T) {
	t.Run("rotates each worker's token", func(t *testing.T) {
		f := newFakeServer(t)
		res, code := runMain(t, f, "--scenario", "refresh", "--duration", "300ms",
			"--username", "demo", "--password", "pw")
		// The fake answers invalid_grant to any reused refresh token.
		if code != exitOK || res.Errors != 0 || res.OK == 0 {
			t.Errorf("exit code = %d, ok = %d, errors = %d (%v); want 0, > 0, 0", code, res.OK, res.Errors, res.ErrorSamples)
		}
		if got := f.logins.Load(); got != 4 {
			t.Errorf("logins = %d, want one per worker (4)", got)
		}
	})
	t.Run("an error forces a re-login", func(t *testing.T) {
		f := newFakeServer(t, func(f *fakeServer) { f.failRefreshAt = 10 })
		res, code := runMain(t, f, "--scenario", "refresh", "--duration", "300ms",
			"--username", "demo", "--password", "pw")
		if code != exitError || res.Errors == 0 {
			t.Fatalf("exit code = %d, errors = %d; want 1, > 0", code, res.Errors)
		}
		want := `status 500: {"error":"server_error"}`
		if len(res.ErrorSamples) != 1 || res.ErrorSamples[0].Error != want {
			t.Errorf("error samples = %v, want only %q (no invalid_grant: the session was replaced)", res.ErrorSamples, want)
		}
		if f.logins.Load() <= 4 {
			t.Errorf("logins = %d, want more than the 4 of setup", f.logins.Load())
		}
	})
	t.Run("setup failure stops the run", func(t *testing.T) {
		f := newFakeServer(t)
		var stdout, stderr bytes.Buffer
		code := Main(context.Background(), []string{"--issuer", f.URL, "--scenario", "refresh",
			"--username", "demo", "--password", "nope"}, nil, &stdout, &stderr)
		if code != exitError || !strings.Contains(stderr.String(), "status 401") {
			t.Errorf("exit code = %d, stderr %q; want 1 and the login's 401", code, stderr.String())
		}
	})
}

func TestStopsAtDeadline(t *testing.T) {
	f := newFakeServer(t, func(f *fakeServer) { f.delay = 2 * time.Second })
	start := time.Now()
	res, code := runMain(t, f, "--scenario", "client_credentials", "--duration", "200ms",
		"--client-id", "svc", "--client-secret", "s:cret")
	if took := time.Since(start); took > time.Second {
		t.Errorf("run took %v, want it to stop at warm-up + duration (250ms)", took)
	}
	if code != exitOK || res.Requests != 0 {
		t.Errorf("exit code = %d, requests = %d; want in-flight requests dropped, not failed", code, res.Requests)
	}
}

func TestDiscoveryFailure(t *testing.T) {
	var stdout, stderr bytes.Buffer
	f := newFakeServer(t)
	code := Main(context.Background(), []string{"--issuer", f.URL + "/nothing", "--scenario", "device_poll"},
		nil, &stdout, &stderr)
	if code != exitError || !strings.Contains(stderr.String(), "discovery: status 404") {
		t.Errorf("exit code = %d, stderr %q; want 1 and the discovery error", code, stderr.String())
	}
}

// TestCPUProfile: --cpuprofile writes the load tool's own profile (gzipped
// protobuf, as go tool pprof reads it); a file that cannot be created
// stops the run before it starts.
func TestCPUProfile(t *testing.T) {
	if fl := flag.Lookup("test.cpuprofile"); fl != nil && fl.Value.String() != "" {
		t.Skip("go test -cpuprofile is already profiling this process")
	}
	f := newFakeServer(t)
	file := filepath.Join(t.TempDir(), "load.pb.gz")
	if _, code := runMain(t, f, "--scenario", "client_credentials", "--duration", "200ms",
		"--client-id", "svc", "--client-secret", "s:cret", "--cpuprofile", file); code != exitOK {
		t.Fatalf("exit code = %d, want %d", code, exitOK)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("profile is not gzipped: %v", err)
	}
	if body, err := io.ReadAll(zr); err != nil || len(body) == 0 {
		t.Errorf("profile body: %d bytes, %v; want a profile", len(body), err)
	}

	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"--issuer", f.URL, "--scenario", "client_credentials",
		"--client-id", "svc", "--client-secret", "s:cret", "--cpuprofile", filepath.Join(file, "nested")},
		strings.NewReader(""), &stdout, &stderr)
	if code != exitError || !strings.Contains(stderr.String(), "cpu profile") {
		t.Errorf("unwritable profile: exit %d, stderr %q; want %d and the reason", code, stderr.String(), exitError)
	}
}
