//go:build unix

package cli

import (
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// catchSignals starts catching SIGINT, SIGQUIT, SIGTERM and SIGHUP, so
// that hubauth does not end on them while it runs a command (and cleans
// up after it); forward, once the command has started, passes them on to
// it (those caught meanwhile first) until stop is called. A signal can
// arrive after the command started but before exec.Cmd.Start returned its
// process. On a terminal (interactive) SIGINT and SIGQUIT are not passed
// on: they come from Ctrl-C and Ctrl-\, which the terminal already sends
// to the command, in the same foreground process group.
func catchSignals(interactive bool) (forward func(*os.Process) (stop func())) {
	ch := make(chan os.Signal, 8)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGHUP)
	return func(p *os.Process) func() {
		done := make(chan struct{})
		go func() {
			for {
				select {
				case sig := <-ch:
					if p != nil && forwarded(sig, interactive) { // nil: the command did not start
						_ = p.Signal(sig) // it may have just exited
					}
				case <-done:
					return
				}
			}
		}()
		return func() { signal.Stop(ch); close(done) }
	}
}

// forwarded reports whether sig is passed on to the command: always, but
// for the terminal's own signals on a terminal.
func forwarded(sig os.Signal, interactive bool) bool {
	return !interactive || (sig != syscall.SIGINT && sig != syscall.SIGQUIT)
}

// exitStatusOf is the child's exit code, or 128+N when signal N ended it,
// as shells report it.
func exitStatusOf(ee *exec.ExitError) int {
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ee.ExitCode()
}
