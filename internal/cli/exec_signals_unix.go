//go:build unix

package cli

import (
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// catchSignals starts catching SIGINT, SIGTERM and SIGHUP, so that
// hubauth does not end on them while it runs a command; forward, once
// the command has started, passes them on to it (those caught meanwhile
// first) until stop is called. A signal can arrive after the command
// started but before exec.Cmd.Start returned its process.
func catchSignals() (forward func(*os.Process) (stop func())) {
	ch := make(chan os.Signal, 8)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	return func(p *os.Process) func() {
		done := make(chan struct{})
		go func() {
			for {
				select {
				case sig := <-ch:
					if p != nil { // nil: the command did not start
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

// exitStatusOf is the child's exit code, or 128+N when signal N ended it,
// as shells report it.
func exitStatusOf(ee *exec.ExitError) int {
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ee.ExitCode()
}
