package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
)

// storeSessions writes sessions to a sessions file in dir, as earlier
// logins would have.
func storeSessions(t *testing.T, dir string, sessions ...storedSession) {
	t.Helper()
	for _, s := range sessions {
		s.ClientID, s.Method, s.AccessToken, s.RefreshToken, s.CreatedAt = "hubauth-cli", "password", "at", "rt", time.Now()
		writeSessions(t, dir, s)
	}
}

func TestResolveServer(t *testing.T) {
	dir := t.TempDir()
	storeSessions(t, dir,
		storedSession{Server: "https://a.example.org", Profile: "default"},
		storedSession{Server: "https://b.example.org", Profile: "work"},
		storedSession{Server: "https://c.example.org", Profile: "work"})
	tests := []struct {
		name          string
		env           map[string]string
		flag, profile string
		want          string
		err           string
	}{
		{name: "flag", flag: "https://x.example.org", env: map[string]string{"HUBAUTH_SERVER": "https://y.example.org"}, want: "https://x.example.org"},
		{name: "HUBAUTH_SERVER", env: map[string]string{"HUBAUTH_SERVER": "https://y.example.org"}, want: "https://y.example.org"},
		{name: "the only server of the profile", want: "https://a.example.org"},
		{name: "several for the profile", profile: "work", err: "sessions are stored for several servers (https://b.example.org, https://c.example.org)"},
		{name: "HUBAUTH_PROFILE", env: map[string]string{"HUBAUTH_PROFILE": "work"}, err: "several servers"},
		{name: "a profile with none: every server", profile: "lab", err: "several servers (https://a.example.org, https://b.example.org, https://c.example.org)"},
		{name: "HUBAUTH_NO_STORE", env: map[string]string{"HUBAUTH_NO_STORE": "1"}, want: ""},
		{name: "empty data directory", env: map[string]string{"HUBAUTH_DATA_DIR": t.TempDir()}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"HUBAUTH_DATA_DIR": dir}
			for k, v := range tt.env {
				env[k] = v
			}
			f := NewFactory(Env{Getenv: func(k string) string { return env[k] }})
			got, err := f.ResolveServer(tt.flag, tt.profile)
			if tt.err != "" {
				if _, ok := err.(*UsageError); !ok || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ResolveServer = %q, %v; want a usage error with %q", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ResolveServer = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestClientFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	storeSessions(t, dir, storedSession{Server: "https://a.example.org", Profile: "work"})
	tests := []struct {
		name   string
		env    map[string]string
		opts   ClientOptions
		source string // SessionInfo.Source; "" for no session
	}{
		{"stored, HUBAUTH_PROFILE", map[string]string{"HUBAUTH_PROFILE": "work"}, ClientOptions{}, filepath.Join(dir, "tokens.json")},
		{"the profile flag wins", map[string]string{"HUBAUTH_PROFILE": "work"}, ClientOptions{Profile: "other"}, ""},
		{"HUBAUTH_TOKEN", map[string]string{"HUBAUTH_TOKEN": "tok"}, ClientOptions{}, client.SourceEnv},
		{"HUBAUTH_TOKEN ignored by login", map[string]string{"HUBAUTH_TOKEN": "tok"}, ClientOptions{IgnoreEnvToken: true}, ""},
		{"HUBAUTH_NO_STORE", map[string]string{"HUBAUTH_PROFILE": "work", "HUBAUTH_NO_STORE": "1"}, ClientOptions{}, ""},
		{"HUBAUTH_NO_STORE=0", map[string]string{"HUBAUTH_PROFILE": "work", "HUBAUTH_NO_STORE": "0"}, ClientOptions{}, filepath.Join(dir, "tokens.json")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"HUBAUTH_DATA_DIR": dir}
			for k, v := range tt.env {
				env[k] = v
			}
			f := NewFactory(Env{Getenv: func(k string) string { return env[k] }})
			tt.opts.Server = "https://a.example.org"
			c, err := f.Client(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			info, ok := c.Session()
			if ok != (tt.source != "") || info.Source != tt.source {
				t.Errorf("Session() = %+v, %t; want source %q", info, ok, tt.source)
			}
		})
	}
}

func TestUserCommandUsageErrors(t *testing.T) {
	h := newTestHub(t)
	h.env["HUBAUTH_SERVER"] = "https://hub.example.org"
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"login", "--method", "carrier-pigeon"}, `invalid --method "carrier-pigeon"`},
		{[]string{"login", "--with-token", "--password-stdin"}, "both read standard input"},
		{[]string{"login", "--method", "device", "--with-token"}, "--with-token goes with --method token"},
		{[]string{"login", "--method", "browser", "--username", "ada"}, "go with --method password"},
		{[]string{"login", "--callback-port", "70000"}, "--callback-port must be from 0 to 65535"},
		{[]string{"login", "--callback-port", "many"}, "invalid argument"},
		{[]string{"login", "extra"}, `unexpected argument "extra"`},
		{[]string{"logout", "--all", "--profile", "work"}, "do not combine it"},
		{[]string{"status", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"token", "--header", "--json"}, "give one"},
		{[]string{"token", "--min-valid", "-1s"}, "must not be negative"},
		{[]string{"token", "--min-valid", "soon"}, "invalid argument"},
		{[]string{"whoami", "me"}, `unexpected argument "me"`},
		{[]string{"api"}, "missing URL-or-PATH"},
		{[]string{"api", "/x", "-H", "no colon"}, `invalid header "no colon"`},
		{[]string{"api", "-X", "GET /", "/x"}, `invalid method "GET /"`},
		{[]string{"api", "ftp://example.org/x"}, "give an http(s) URL or a path"},
		{[]string{"status", "--server", "not a url"}, "must be an absolute http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := h.run("", tt.args...)
			wantFailure(t, r, ExitUsage, tt.msg)
		})
	}
	delete(h.env, "HUBAUTH_SERVER")
	wantFailure(t, h.run("", "login"), ExitUsage, "no server: pass --server URL or set HUBAUTH_SERVER")
}

func TestBadSessionsFile(t *testing.T) {
	tests := []struct {
		name  string
		write func(path string) error
		msg   string
	}{
		{"corrupt", func(p string) error { return os.WriteFile(p, []byte(`{"sessions": [`), 0o600) }, "corrupt sessions file"},
		{"readable by others", func(p string) error {
			if err := os.WriteFile(p, []byte(`{}`), 0o600); err != nil {
				return err
			}
			return os.Chmod(p, 0o644)
		}, "chmod 600"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newTestHub(t)
			h.env["HUBAUTH_SERVER"] = "https://hub.example.org"
			if err := os.MkdirAll(h.dir, 0o700); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(h.dir, "tokens.json")
			if err := tt.write(path); err != nil {
				t.Fatal(err)
			}
			r := h.run("", "token")
			wantFailure(t, r, ExitError, tt.msg)
			if !strings.Contains(r.stderr, path) {
				t.Errorf("stderr = %q, want the file's path", r.stderr)
			}
		})
	}
}
