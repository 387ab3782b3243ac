package cli

import (
	"regexp"
	"strings"
	"testing"
)

// userCommands are the user commands that work with a session, each with
// arguments that succeed for demoUser on a test hub.
var userCommands = [][]string{
	{"status"}, {"token"}, {"whoami"}, {"api", "/api/v1/users/me"},
	{"tokens", "list"}, {"sessions", "list"}, {"users", "show", demoUser}, {"groups", "list"},
}

// Every user command takes --server and --profile, and HUBAUTH_SERVER and
// HUBAUTH_PROFILE, with the flags before the environment; without either,
// the server's default profile (hubauth switch) is used.
func TestUserFlagsOnEveryCommand(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login("--profile", "work") // the only session: profile work
	const elsewhere = "http://127.0.0.1:1"
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
	}{
		{"flags", []string{"--server", h.URL, "--profile", "work"}, map[string]string{envServer: elsewhere, envProfile: "play"}, ExitOK},
		{"environment", nil, map[string]string{envServer: h.URL, envProfile: "work"}, ExitOK},
		{"flags after the arguments", []string{"--profile=work"}, nil, ExitOK},
		{"no profile: the default one, not logged in", []string{"--server", h.URL}, nil, ExitAuthNeeded},
		{"another profile", []string{"--profile", "play"}, map[string]string{envServer: h.URL}, ExitAuthNeeded},
	}
	for _, tt := range tests {
		for _, c := range userCommands {
			t.Run(tt.name+"/"+strings.Join(c, " "), func(t *testing.T) {
				r := h.exec(cmd{args: append(append([]string{}, c...), tt.args...), env: tt.env})
				if r.code != tt.code {
					t.Fatalf("exit %d, want %d; stderr %q", r.code, tt.code, r.stderr)
				}
				if tt.code == ExitAuthNeeded {
					wantFailure(t, r, ExitAuthNeeded, "not logged in to "+h.URL)
				}
			})
		}
	}

	h.mustRun("", "switch", "--profile", "work")
	for _, c := range userCommands {
		t.Run("after switch/"+strings.Join(c, " "), func(t *testing.T) {
			r := h.exec(cmd{args: c})
			if r.code != ExitOK {
				t.Fatalf("exit %d, want 0; stderr %q", r.code, r.stderr)
			}
		})
	}
	if s, _ := h.stored("work"); s.Username != demoUser {
		t.Errorf("work session = %+v, want ada's", s)
	}
}

// The flags are defined once, on each user command, and shown in its help.
func TestUserFlagsInHelp(t *testing.T) {
	h := newTestHub(t)
	for _, c := range append(userCommands, []string{"login"}, []string{"logout"}, []string{"profiles", "list"}, []string{"switch"}) {
		t.Run(strings.Join(c, " "), func(t *testing.T) {
			out := h.mustRun("", append(c[:len(c):len(c)], "--help")...)
			for _, flag := range []string{"--server string", "--profile string", "--insecure-http"} {
				re := regexp.MustCompile(`(?m)^ +` + flag + ` `)
				if n := len(re.FindAllString(out, -1)); n != 1 {
					t.Errorf("help lists %q %d times, want once:\n%s", flag, n, out)
				}
			}
		})
	}
}
