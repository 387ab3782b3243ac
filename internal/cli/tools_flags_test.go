package cli

import (
	"regexp"
	"strings"
	"testing"
)

// exec and credential git take the flags of every user command (see
// TestUserFlagsOnEveryCommand): --profile chooses the session.
func TestToolsUserFlags(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	registerAPI(t, h, "git", "https://git.example.org", "git:read")
	h.login("--profile", "work", "--scopes", "git:read")
	work, _ := h.stored("work")
	r := h.run("", "exec", "--server", h.URL, "--profile", "work", "--", "sh", "-c", `cat "$BEARER_TOKEN_FILE"`)
	if r.code != ExitOK || strings.TrimSpace(r.stdout) != work.AccessToken {
		t.Errorf("exec --profile work: exit %d, %q, %q", r.code, r.stdout, r.stderr)
	}
	wantFailure(t, h.run("", "exec", "--server", h.URL, "--", "true"), ExitAuthNeeded, "not logged in to "+h.URL)
	r = h.run("protocol=https\nhost=git.example.org\n\n", "credential", "git", "--host", "https://git.example.org", "--profile", "work", "get")
	if r.code != ExitOK || !strings.Contains(r.stdout, "password=") || gitAnswerShape(t, r.stdout, "https://git.example.org") == r.stdout {
		t.Errorf("credential git --profile work: exit %d, %q, %q", r.code, r.stdout, r.stderr)
	}
	for _, c := range [][]string{{"exec"}, {"credential", "git"}} {
		out := h.mustRun("", append(c, "--help")...)
		for _, flag := range []string{"--server string", "--profile string", "--insecure-http"} {
			if n := len(regexp.MustCompile(`(?m)^ +`+flag+` `).FindAllString(out, -1)); n != 1 {
				t.Errorf("%s --help lists %q %d times, want once", strings.Join(c, " "), flag, n)
			}
		}
	}
}
