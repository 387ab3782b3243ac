package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server/mfa"
)

// TestServePasswordLoginFlag: --password-login=false reaches the server's
// configuration as DisablePasswordLogin; password sign-in stays on by
// default.
func TestServePasswordLoginFlag(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		disabled bool
	}{
		{"default", nil, false},
		{"on", []string{"--password-login"}, false},
		{"off", []string{"--password-login=false"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := NewTestIOStreams()
			f := NewFactory(Env{IO: ios, Getenv: func(string) string { return "" }, Now: time.Now, Context: t.Context()})
			var got *ServeOptions
			cmd := NewCmdServe(f, func(o *ServeOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			if err := cmd.Execute(); err != nil || got == nil {
				t.Fatalf("serve %v: %v", tt.args, err)
			}
			if cfg := serverConfig(got, nil, nil, nil); cfg.DisablePasswordLogin != tt.disabled {
				t.Errorf("serve %v: DisablePasswordLogin = %t, want %t", tt.args, cfg.DisablePasswordLogin, tt.disabled)
			}
		})
	}
	if help := newTestHub(t).mustRun("", "serve", "--help"); !strings.Contains(help, "--password-login") || !strings.Contains(help, "federated-only") {
		t.Errorf("serve --help does not describe --password-login:\n%s", help)
	}
}

// TestServeRequireMFAFlag: --require-mfa reaches the server's
// configuration; a value other than off, admins or all is a usage error.
func TestServeRequireMFAFlag(t *testing.T) {
	tests := []struct {
		args    []string
		want    mfa.Policy
		wantErr bool
	}{
		{nil, mfa.PolicyOff, false},
		{[]string{"--require-mfa", "admins"}, mfa.PolicyAdmins, false},
		{[]string{"--require-mfa=all"}, mfa.PolicyAll, false},
		{[]string{"--require-mfa", "everyone"}, "", true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			ios, _, _, _ := NewTestIOStreams()
			f := NewFactory(Env{IO: ios, Getenv: func(string) string { return "" }, Now: time.Now, Context: t.Context()})
			var got *ServeOptions
			cmd := NewCmdServe(f, func(o *ServeOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			err := cmd.Execute()
			if (err != nil) != tt.wantErr {
				t.Fatalf("serve %v: %v, want error %t", tt.args, err, tt.wantErr)
			}
			if err == nil && serverConfig(got, nil, nil, nil).RequireMFA != tt.want {
				t.Errorf("serve %v: RequireMFA = %q, want %q", tt.args, got.RequireMFA, tt.want)
			}
		})
	}
}
