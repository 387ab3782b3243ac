package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/hubauth/hubauth/client"
)

// confirmReplace decides whether the login may replace the session
// stored for the server and profile: yes with --force or when there is no
// live session; otherwise it asks on a terminal and refuses elsewhere
// (a stored session is never silently overwritten).
func (o *LoginOptions) confirmReplace(c *userClient) (force bool, err error) {
	if o.Force {
		return true, nil
	}
	info, ok := c.Session()
	if !ok || !live(info, o.Now()) {
		return false, nil
	}
	if !o.IO.IsStdinTTY {
		return false, o.alreadyLoggedIn(c)
	}
	fmt.Fprintf(o.IO.ErrOut, "You are already logged in to %s as %s. Replace that session? [y/N] ", c.where(), describeUser(info))
	answer, err := readLineContext(o.Ctx, o.IO)
	if err != nil {
		return false, errors.New("login cancelled")
	}
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
		return false, errors.New("login cancelled: the stored session is kept")
	}
	return true, nil
}

// alreadyLoggedIn is the refusal to replace a live session.
func (o *LoginOptions) alreadyLoggedIn(c *userClient) error {
	info, _ := c.Session()
	return fmt.Errorf("already logged in to %s as %s; use --force to replace the session", c.where(), describeUser(info))
}

// live reports whether a session can still authenticate, now or after a
// refresh, as the SDK decides before it replaces one.
func live(info client.SessionInfo, now time.Time) bool {
	return !info.Expired && (info.Refreshable || info.Expiry.IsZero() || info.Expiry.After(now))
}

// readLineContext reads a line from standard input, giving up when ctx
// ends (Ctrl-C). It reads byte by byte, so that what follows the line
// stays in the input for the next reader (a password after the answer).
func readLineContext(ctx context.Context, ios *IOStreams) (string, error) {
	ch := make(chan lineResult, 1)
	go func() { ch <- readLineUnbuffered(ios.In) }()
	select {
	case l := <-ch:
		return l.line, l.err
	case <-ctx.Done():
		fmt.Fprintln(ios.ErrOut)
		return "", ctx.Err()
	}
}

// lineResult is a line read, or why not.
type lineResult struct {
	line string
	err  error
}

// readLineUnbuffered reads up to a newline, which it drops (with a "\r"
// before it). Input ending without a newline is a line; none is io.EOF.
func readLineUnbuffered(r io.Reader) lineResult {
	var line []byte
	b := make([]byte, 1)
	for {
		n, err := r.Read(b)
		if n == 1 && b[0] == '\n' {
			return lineResult{line: strings.TrimSuffix(string(line), "\r")}
		}
		line = append(line, b[:n]...)
		if err == io.EOF && len(line) > 0 {
			return lineResult{line: string(line)}
		}
		if err != nil {
			return lineResult{err: err}
		}
	}
}

// terminalSecretReader returns a function that prompts on standard error
// and reads a line from the terminal on standard input without echoing
// it: Factory.ReadSecret.
func terminalSecretReader(ios *IOStreams) func(ctx context.Context, prompt string) (string, error) {
	return func(ctx context.Context, prompt string) (string, error) {
		f, ok := ios.In.(*os.File)
		if !ok || !ios.IsStdinTTY || !term.IsTerminal(int(f.Fd())) {
			return "", errors.New("standard input is not a terminal")
		}
		fmt.Fprint(ios.ErrOut, prompt)
		defer fmt.Fprintln(ios.ErrOut)
		return readHidden(ctx, int(f.Fd()))
	}
}

// readHidden reads a line from the terminal fd without echo. On Ctrl-C
// (ctx ends) it restores the terminal's echo and returns ctx.Err().
func readHidden(ctx context.Context, fd int) (string, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("read from the terminal: %w", err)
	}
	ch := make(chan lineResult, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		ch <- lineResult{strings.TrimRight(string(b), "\r\n"), err}
	}()
	select {
	case l := <-ch:
		return l.line, l.err
	case <-ctx.Done():
		term.Restore(fd, state)
		return "", ctx.Err()
	}
}
