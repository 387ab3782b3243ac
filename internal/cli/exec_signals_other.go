//go:build !unix

package cli

import (
	"os"
	"os/exec"
	"os/signal"
)

// catchSignals keeps hubauth alive on an interrupt, which the console
// delivers to the command too, so that hubauth can return its status.
func catchSignals(bool) (forward func(*os.Process) (stop func())) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	return func(*os.Process) func() { return func() { signal.Stop(ch) } }
}

// exitStatusOf is the child's exit code.
func exitStatusOf(ee *exec.ExitError) int { return ee.ExitCode() }
