package cli

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

func TestMainExitCodes(t *testing.T) {
	h := newTestHub(t)
	h.mustRun("pw\n", "admin", "user", "add", "alice", "--password-stdin")
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		msg   string // in the first stderr line, after "hubauth: "
	}{
		{name: "unknown command", args: []string{"frobnicate"}, code: ExitUsage, msg: `unknown command "frobnicate" for "hubauth"`},
		{name: "unknown subcommand", args: []string{"admin", "usr", "list"}, code: ExitUsage, msg: `did you mean "user"?`},
		{name: "unknown flag", args: []string{"admin", "user", "list", "--bogus"}, code: ExitUsage, msg: "unknown flag: --bogus"},
		{name: "unknown root flag", args: []string{"--bogus"}, code: ExitUsage, msg: "unknown flag: --bogus"},
		{name: "missing argument", args: []string{"admin", "group", "add-member", "staff"}, code: ExitUsage, msg: "missing USER"},
		{name: "extra argument", args: []string{"admin", "user", "list", "x"}, code: ExitUsage, msg: `unexpected argument "x"`},
		{name: "bad flag value", args: []string{"admin", "audit", "--limit", "many"}, code: ExitUsage, msg: "invalid argument"},
		{name: "limit below one", args: []string{"admin", "audit", "--limit", "0"}, code: ExitUsage, msg: "--limit must be at least 1"},
		{name: "missing password-stdin", args: []string{"admin", "user", "add", "bob"}, code: ExitUsage, msg: "pass --password-stdin"},
		{name: "missing client name", args: []string{"admin", "client", "add", "web"}, code: ExitUsage, msg: "--name is required"},
		{name: "error", stdin: "pw\n", args: []string{"admin", "user", "add", "alice", "--password-stdin"}, code: ExitError, msg: `user "alice" already exists`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.run(tt.stdin, tt.args...)
			wantFailure(t, r, tt.code, tt.msg)
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			usageHint := strings.Contains(r.stderr, "--help')")
			if usageHint != (tt.code == ExitUsage) {
				t.Errorf("stderr = %q: usage hint %t, want %t", r.stderr, usageHint, tt.code == ExitUsage)
			}
			if strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("stderr = %q, want one line", r.stderr)
			}
		})
	}
}

func TestMainHelp(t *testing.T) {
	for _, args := range [][]string{nil, {"admin"}, {"admin", "--help"}, {"help", "admin", "user"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := newTestHub(t).run("", args...)
			if r.code != ExitOK || r.stderr != "" {
				t.Errorf("exit %d, stderr %q; want 0 and nothing", r.code, r.stderr)
			}
			if !strings.Contains(r.stdout, "Usage:") {
				t.Errorf("stdout = %q, want help", r.stdout)
			}
		})
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code int
		out  string
	}{
		{"ok", nil, ExitOK, ""},
		{"error", errors.New("boom"), ExitError, "hubauth: boom\n"},
		{"usage", cmdutil.UsageErrorf("missing NAME"), ExitUsage, "hubauth: missing NAME\n"},
		{"auth", &AuthError{Message: "not logged in: run 'hubauth login'"}, ExitAuthNeeded, "hubauth: not logged in: run 'hubauth login'\n"},
		{"wrapped auth", fmt.Errorf("session expired: %w", ErrAuthRequired), ExitAuthNeeded, "hubauth: session expired: authentication required\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if got := exitCode(&buf, nil, tt.err); got != tt.code {
				t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.code)
			}
			if buf.String() != tt.out {
				t.Errorf("printed %q, want %q", buf.String(), tt.out)
			}
		})
	}
}

func TestReadLine(t *testing.T) {
	tests := []struct {
		in, want string
		eof      bool
	}{
		{in: "pw\n", want: "pw"},
		{in: "pw\r\n", want: "pw"},
		{in: "pw", want: "pw"},
		{in: " spaced pw \n", want: " spaced pw "},
		{in: "first\nsecond\n", want: "first"},
		{in: "\n", want: ""},
		{in: "", eof: true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			ios, in, _, _ := NewTestIOStreams()
			in.WriteString(tt.in)
			got, err := ios.ReadLine()
			if (err != nil) != tt.eof || got != tt.want {
				t.Errorf("ReadLine() = %q, %v; want %q (EOF %t)", got, err, tt.want, tt.eof)
			}
		})
	}
}

// Successive ReadLine calls on piped input lose nothing read ahead.
func TestReadLineTwice(t *testing.T) {
	ios, in, _, _ := NewTestIOStreams()
	in.WriteString("y\npw\n")
	for _, want := range []string{"y", "pw"} {
		if got, err := ios.ReadLine(); got != want || err != nil {
			t.Fatalf("ReadLine() = %q, %v; want %q", got, err, want)
		}
	}
}
