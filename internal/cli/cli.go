// Package cli implements the hubauth command line: `hubauth serve`,
// `hubauth admin …` and the user commands. Main builds the root command from
// a Factory, runs it, and turns its error into the process exit code in one
// place (see Exit codes below).
//
// Each command follows the same shape: an XOptions struct holding its
// inputs, NewCmdX(f, runF) that builds the cobra command and fills the
// options from flags and arguments, and xRun(opts) that does the work. Tests
// pass a runF to check parsing alone, or drive Main with test IOStreams.
// Commands read the environment, the clock and the terminal only through the
// Factory and IOStreams, never through os.
//
// Exit codes: 0 success; 1 error; 2 usage (unknown command or flag, wrong
// number of arguments, a missing required flag); 4 authentication needed.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/names"
)

// Exit codes returned by Main.
const (
	ExitOK         = 0
	ExitError      = 1
	ExitUsage      = 2
	ExitAuthNeeded = 4
)

// Main runs hubauth with args (without the program name) in env and returns
// the process exit code. Errors are written to env's standard error as one
// line, "hubauth: <message>".
func Main(args []string, env Env) int {
	f := NewFactory(env)
	ctx, stop := signal.NotifyContext(env.context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second signal ends the process at once
	}()

	if args == nil {
		args = []string{} // nil would make cobra read os.Args
	}
	root := NewCmdRoot(f)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	return exitCode(f.IOStreams.ErrOut, cmd, err)
}

// exitCode prints err (if any) as it reads, on one line, and maps it to an
// exit code. The SDK's errors keep their "client: " prefix, which says
// where they were made. A usage error points to the command's help on the
// same line. The SDK's "log in first" errors (client.ErrNotLoggedIn,
// client.ErrSessionExpired) are ExitAuthNeeded like ErrAuthRequired.
func exitCode(w io.Writer, cmd *cobra.Command, err error) int {
	if err == nil {
		return ExitOK
	}
	var status *ExitStatus
	if errors.As(err, &status) {
		return status.Code // hubauth exec: the command's own, already reported
	}
	msg := err.Error()
	var uerr *UsageError
	usage := errors.As(err, &uerr)
	if usage && cmd != nil {
		msg += " (see '" + cmd.CommandPath() + " --help')"
	}
	fmt.Fprintf(w, "hubauth: %s\n", names.Escape(msg))
	switch {
	case usage:
		return ExitUsage
	case errors.Is(err, ErrAuthRequired), errors.Is(err, client.ErrNotLoggedIn), errors.Is(err, client.ErrSessionExpired):
		return ExitAuthNeeded
	default:
		return ExitError
	}
}

// context returns env's context, or a background context.
func (e Env) context() context.Context {
	if e.Context != nil {
		return e.Context
	}
	return context.Background()
}

// ErrAuthRequired is matched (with errors.Is) by every error that means the
// user must log in first: not logged in, session expired or revoked. Main
// exits with ExitAuthNeeded for it. Return an *AuthError to say which case
// it is and what to run.
var ErrAuthRequired = errors.New("authentication required")

// AuthError is an authentication-needed error with a message for the user,
// e.g. "not logged in to https://hub.example.org: run 'hubauth login'".
type AuthError struct {
	Message string
	Err     error // the underlying cause, if any
}

// Error returns the message.
func (e *AuthError) Error() string { return e.Message }

// Unwrap returns the cause.
func (e *AuthError) Unwrap() error { return e.Err }

// Is reports whether target is ErrAuthRequired.
func (e *AuthError) Is(target error) bool { return target == ErrAuthRequired }
