package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// ExecOptions are the inputs of `hubauth exec`.
type ExecOptions struct {
	userOptions
	// Resource is --resource: the API (RFC 8707) the tokens are for.
	Resource string
	MinValid time.Duration
	// Command is the command to run and its arguments.
	Command []string
	// Environ is the environment the command inherits (os.Environ).
	Environ func() []string
	// Getuid is the user's id (os.Getuid).
	Getuid func() int
}

// ExitStatus is the exit code of the command `hubauth exec` ran, which
// Main returns as its own without a message.
type ExitStatus struct{ Code int }

// Error says which exit code it is.
func (e *ExitStatus) Error() string { return fmt.Sprintf("the command exited with status %d", e.Code) }

// NewCmdExec returns `hubauth exec`.
func NewCmdExec(f *Factory, runF func(*ExecOptions) error) *cobra.Command {
	opts := &ExecOptions{Environ: os.Environ, Getuid: os.Getuid}
	cmd := &cobra.Command{
		Use:   "exec [--server URL] [--resource URI] [--min-valid D] -- COMMAND [ARG...]",
		Short: "Run a command with an access token that stays valid while it runs",
		Long: `Run COMMAND with BEARER_TOKEN_FILE naming a private file (in a new 0700
directory) that holds an access token, as WLCG Bearer Token Discovery
expects. The token is refreshed in the background before it expires, for
as long as the command runs; the file is removed when it exits. BEARER_TOKEN
is removed from the command's environment (it would hide the file).
SIGTERM and SIGHUP are passed on to the command, and so are SIGINT and
SIGQUIT unless standard input is a terminal (which sends Ctrl-C and Ctrl-\
to the command itself); hubauth exits with the command's exit code (128+N
when signal N ended it), after removing the file.
--resource asks the provider for tokens for that API (RFC 8707): give it
whenever the command talks to anything but the hub, since without it the
command gets your account-wide token (a warning says so). A token that
still names the CLI as its audience (a provider that ignores resource
indicators) is refused.`,
		Example: `  hubauth exec -- sh -c 'curl -H "Authorization: Bearer $(cat "$BEARER_TOKEN_FILE")" https://data.example.org/api/v1/uploads'
  hubauth exec --resource https://data.example.org/api -- ./long-analysis.sh`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.UsageErrorf("missing COMMAND: hubauth exec [flags] -- COMMAND [ARG...]")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			opts.Command = args
			if opts.MinValid <= 0 {
				return cmdutil.UsageErrorf("--min-valid must be positive")
			}
			if runF != nil {
				return runF(opts)
			}
			return execRun(opts)
		},
	}
	cmd.Flags().SetInterspersed(false) // flags after COMMAND are COMMAND's
	cmd.Flags().StringVar(&opts.Resource, "resource", "", "ask for tokens for this API `URI` (RFC 8707 resource indicator)")
	cmd.Flags().DurationVar(&opts.MinValid, "min-valid", 60*time.Second, "refresh the token when it expires sooner than this")
	return cmd
}

// execRun gets a first token, writes it to a private bearer file, runs
// the command with the file kept fresh, and cleans up.
func execRun(o *ExecOptions) error {
	ctx, cancel := context.WithCancel(context.WithoutCancel(o.Ctx)) // a signal goes to the command, not to the refreshes
	defer cancel()
	ts, uc, err := o.tokenSource(ctx)
	if err != nil {
		return err
	}
	tok, err := ts.Token()
	if err != nil {
		return uc.authError(err)
	}
	if o.Resource == "" {
		fmt.Fprintln(o.IO.ErrOut, execAccountWideWarning)
	}
	dir, err := os.MkdirTemp("", "hubauth-exec-")
	if err != nil {
		return fmt.Errorf("create the bearer token directory: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "bearer_token")
	if err := writeBearerFile(path, tok.AccessToken, o.Getuid()); err != nil {
		return err
	}
	r := &refresher{ts: ts, path: path, uid: o.Getuid(), minValid: o.MinValid, now: o.Now, errOut: o.IO.ErrOut}
	stopped := make(chan struct{})
	go func() { defer close(stopped); r.run(ctx, tok) }()
	defer func() { cancel(); <-stopped }() // before the directory is removed
	return runChild(o, path)
}

// execAccountWideWarning is what exec says without --resource.
const execAccountWideWarning = "hubauth: warning: without --resource the command gets your account-wide token, meant for the hub itself: give --resource URI for any other API"

// tokenSource is the client's token source, for the --resource API if
// given.
func (o *ExecOptions) tokenSource(ctx context.Context) (oauth2.TokenSource, *userClient, error) {
	c, err := o.client(ClientOptions{MinValid: o.MinValid})
	if err != nil {
		return nil, nil, err
	}
	if o.Resource == "" {
		return c.TokenSource(ctx), c, nil
	}
	ts, err := resourceTokenSource(ctx, c, o.Resource)
	if err != nil {
		return nil, nil, err
	}
	return ts, c, nil
}

// runChild runs the command with BEARER_TOKEN_FILE set to path, passing
// signals on, and returns its exit status.
func runChild(o *ExecOptions, path string) error {
	child := exec.Command(o.Command[0], o.Command[1:]...)
	child.Stdin, child.Stdout, child.Stderr = o.IO.In, o.IO.Out, o.IO.ErrOut
	child.Env = childEnv(o.Environ(), path)
	forward := catchSignals(o.IO.IsStdinTTY)
	if err := child.Start(); err != nil {
		forward(nil)()
		return fmt.Errorf("exec: %w", err)
	}
	defer forward(child.Process)()
	err := child.Wait()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return &ExitStatus{Code: exitStatusOf(ee)}
	case err != nil:
		return fmt.Errorf("exec: %w", err)
	}
	return nil
}

// childEnv is env without BEARER_TOKEN and with BEARER_TOKEN_FILE=path.
func childEnv(env []string, path string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if k != envBearerToken && k != envBearerTokenFile {
			out = append(out, kv)
		}
	}
	return append(out, envBearerTokenFile+"="+path)
}
