package cli

import (
	"io"
	"os/exec"
	"strings"

	"github.com/cli/browser"
)

// envBrowser names the command that opens a URL, as for gh and many
// other tools: its words, split on spaces, with the URL appended.
const envBrowser = "BROWSER"

// browserOpener returns Factory.OpenBrowser: the command in $BROWSER if
// set, else the system's opener (xdg-open, open, rundll32 … through
// github.com/cli/browser). The command's output goes to w. It returns
// when the command exits, which for some browsers is when they are
// closed: callers do not wait for it (see client.BrowserOptions).
func browserOpener(getenv func(string) string, w io.Writer) func(url string) error {
	return func(url string) error {
		words := strings.Fields(getenv(envBrowser))
		if len(words) == 0 {
			return browser.OpenURL(url)
		}
		cmd := exec.Command(words[0], append(words[1:], url)...)
		cmd.Stdout, cmd.Stderr = w, w
		return cmd.Run()
	}
}
