package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseFlags(t *testing.T) {
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("from-file\r\nignored\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tokenFile, emptyFile := filepath.Join(t.TempDir(), "token"), filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(tokenFile, []byte("hubauth_pat_x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(emptyFile, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	defaults := Config{Issuer: "http://127.0.0.1:8080", Duration: 10 * time.Second, Warmup: time.Second,
		Concurrency: 32, ClientID: "hubauth-cli", DeviceCodes: 5000, DeviceSpread: 5 * time.Second}
	with := func(f func(*Config)) Config { c := defaults; f(&c); return c }
	tests := []struct {
		name    string
		args    []string
		want    Config
		wantErr string
	}{
		{name: "device_poll defaults", args: []string{"--scenario", "device_poll"},
			want: with(func(c *Config) { c.Scenario, c.Scopes = "device_poll", "openid" })},
		{name: "refresh with password file",
			args: []string{"--scenario", "refresh", "--username", "demo", "--password-file", pwFile, "--issuer", "https://hub.example/"},
			want: with(func(c *Config) {
				c.Scenario, c.Username, c.Password, c.Issuer = "refresh", "demo", "from-file", "https://hub.example"
				c.Scopes = "openid offline_access"
			})},
		{name: "password from stdin, comma scopes",
			args: []string{"--scenario", "password", "--username", "demo", "--password-file", "-", "--scopes", "openid,uploads:read", "--concurrency", "8", "--duration", "1m", "--warmup", "0s"},
			want: with(func(c *Config) {
				c.Scenario, c.Username, c.Password, c.Scopes = "password", "demo", "stdin-pw", "openid uploads:read"
				c.Concurrency, c.Duration, c.Warmup = 8, time.Minute, 0
			})},
		{name: "client credentials",
			args: []string{"--scenario", "client_credentials", "--client-id", "svc", "--client-secret", "s"},
			want: with(func(c *Config) { c.Scenario, c.ClientID, c.ClientSecret = "client_credentials", "svc", "s" })},
		{name: "pat_userinfo with a token file",
			args: []string{"--scenario", "pat_userinfo", "--token-file", tokenFile},
			want: with(func(c *Config) { c.Scenario, c.Token = "pat_userinfo", "hubauth_pat_x" })},
		{name: "pat_userinfo with a token from stdin",
			args: []string{"--scenario", "pat_userinfo", "--token-file", "-"},
			want: with(func(c *Config) { c.Scenario, c.Token = "pat_userinfo", "stdin-pw" })},
		{name: "pat_userinfo creates a token with scopes",
			args: []string{"--scenario", "pat_userinfo", "--username", "demo", "--password-file", pwFile, "--scopes", "uploads:read"},
			want: with(func(c *Config) {
				c.Scenario, c.Username, c.Password, c.Scopes = "pat_userinfo", "demo", "from-file", "uploads:read"
			})},
		{name: "pat_userinfo needs a token or a user", args: []string{"--scenario", "pat_userinfo", "--username", "demo"},
			wantErr: "pat_userinfo needs --token-file, or --username"},
		{name: "empty token file", args: []string{"--scenario", "pat_userinfo", "--token-file", emptyFile},
			wantErr: "--token-file: empty first line"},
		{name: "token file for another scenario", args: []string{"--scenario", "device_poll", "--token-file", tokenFile},
			wantErr: "--token-file is for pat_userinfo and introspect only"},
		{name: "introspect needs the resource server's credentials", args: []string{"--scenario", "introspect", "--token-file", tokenFile},
			wantErr: "introspect needs --client-id and --client-secret"},
		{name: "introspect needs a token or a user", args: []string{"--scenario", "introspect", "--client-id", "rs", "--client-secret", "s"},
			wantErr: "introspect needs --token-file, or --username"},
		{name: "both files from stdin", args: []string{"--scenario", "pat_userinfo", "--token-file", "-", "--password-file", "-"},
			wantErr: "cannot both read stdin"},
		{name: "scenario required", args: nil, wantErr: `--scenario ""`},
		{name: "unknown scenario", args: []string{"--scenario", "x"}, wantErr: `--scenario "x"`},
		{name: "client credentials needs a secret", args: []string{"--scenario", "client_credentials", "--client-id", "svc"}, wantErr: "needs --client-id and --client-secret"},
		{name: "refresh needs a user", args: []string{"--scenario", "refresh"}, wantErr: "refresh needs --username"},
		{name: "zero duration", args: []string{"--scenario", "device_poll", "--duration", "0s"}, wantErr: "--duration must be positive"},
		{name: "zero concurrency", args: []string{"--scenario", "device_poll", "--concurrency", "0"}, wantErr: "at least 1"},
		{name: "stray argument", args: []string{"--scenario", "device_poll", "extra"}, wantErr: "unexpected arguments"},
		{name: "missing password file", args: []string{"--scenario", "password", "--password-file", "/nonexistent"}, wantErr: "--password-file"},
		{name: "bad flag", args: []string{"--nope"}, wantErr: "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseFlags(tt.args, strings.NewReader("stdin-pw\n"), io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseFlags(%q) error = %v, want one containing %q", tt.args, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseFlags(%q): %v", tt.args, err)
			}
			if diff := cmp.Diff(tt.want, o.Config); diff != "" {
				t.Errorf("parseFlags(%q) mismatch (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}

func TestHelpIsNotAnError(t *testing.T) {
	_, err := parseFlags([]string{"-h"}, nil, io.Discard)
	if !errors.Is(err, errHelp) {
		t.Errorf("parseFlags(-h) = %v, want errHelp", err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"2", 2 * time.Second},
		{"0", time.Millisecond},
		{"soon", 0},
		{"-1", 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := parseRetryAfter(tt.in); got != tt.want {
				t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
