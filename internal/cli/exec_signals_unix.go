//go:build unix

package cli

import (
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// forwardSignals passes SIGINT, SIGTERM and SIGHUP that hubauth receives
// on to child (once started), until stop is called. hubauth itself does
// not end on them: it waits for the child and returns its status.
func forwardSignals(child *exec.Cmd) (stop func()) {
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-ch:
				if child.Process != nil {
					_ = child.Process.Signal(sig) // the child may have just exited
				}
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}

// exitStatusOf is the child's exit code, or 128+N when signal N ended it,
// as shells report it.
func exitStatusOf(ee *exec.ExitError) int {
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ee.ExitCode()
}
