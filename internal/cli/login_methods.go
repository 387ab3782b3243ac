package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/names"
)

// maxTokenInput bounds the token read from standard input.
const maxTokenInput = 64 << 10

// login runs the chosen method; force replaces a live session.
func (o *LoginOptions) login(c *userClient, force bool) error {
	switch o.Method {
	case client.MethodToken:
		return o.loginToken(c, force)
	case client.MethodPassword:
		return o.loginPassword(c, force)
	case client.MethodDevice:
		return o.loginDevice(c, force)
	}
	return o.loginBrowser(c, force)
}

// loginToken stores a token read from standard input, or typed at a
// hidden prompt on a terminal without --with-token.
func (o *LoginOptions) loginToken(c *userClient, force bool) error {
	var token string
	if o.IO.IsStdinTTY && !o.WithToken {
		t, err := o.ReadSecret(o.Ctx, "Paste your token: ")
		if err != nil {
			return err
		}
		token = t
	} else {
		b, err := io.ReadAll(io.LimitReader(o.IO.In, maxTokenInput))
		if err != nil {
			return fmt.Errorf("read the token from standard input: %w", err)
		}
		token = string(b)
	}
	if strings.TrimSpace(token) == "" {
		return errors.New("no token on standard input")
	}
	return c.LoginToken(o.Ctx, token, client.TokenOptions{Force: force})
}

// loginPassword logs in with --username and a password from standard
// input (--password-stdin) or a hidden prompt on a terminal.
func (o *LoginOptions) loginPassword(c *userClient, force bool) error {
	if o.Username == "" {
		return cmdutil.UsageErrorf("--username is required for --method password")
	}
	pw, err := o.readPassword()
	if err != nil {
		return err
	}
	return c.LoginPassword(o.Ctx, o.Username, pw, client.PasswordOptions{TokenName: o.TokenName, Force: force, OTP: o.readOTP})
}

// readOTP reads the second factor when the server asks for one: a line of
// standard input with --otp-stdin, else a prompt on a terminal.
func (o *LoginOptions) readOTP(ctx context.Context) (string, error) {
	switch {
	case o.OTPStdin:
		code, err := o.IO.ReadLine()
		if err != nil || code == "" {
			return "", errors.New("no second factor code on standard input (--otp-stdin)")
		}
		return code, nil
	case o.IO.IsStdinTTY:
		return o.ReadSecret(ctx, "Authenticator code (or a recovery code) for "+o.Username+": ")
	}
	return "", cmdutil.UsageErrorf("this account needs a second factor: pass --otp-stdin and write the authenticator app's code on standard input, or log in with --method browser or device")
}

// readClientSecret reads the client secret when --client-secret-stdin
// asks for it: a line of standard input, or a hidden prompt on a terminal.
func (o *LoginOptions) readClientSecret() (string, error) {
	switch {
	case !o.ClientSecretStdin:
		return "", nil
	case o.IO.IsStdinTTY:
		return o.ReadSecret(o.Ctx, "Client secret of "+o.ClientID+": ")
	}
	secret, err := o.IO.ReadLine()
	if err != nil || secret == "" {
		return "", errors.New("no client secret on standard input")
	}
	return secret, nil
}

// readPassword reads the password as --password-stdin says.
func (o *LoginOptions) readPassword() (string, error) {
	if o.PasswordStdin {
		pw, err := o.IO.ReadLine()
		if err != nil || pw == "" {
			return "", errors.New("no password on standard input")
		}
		return pw, nil
	}
	if !o.IO.IsStdinTTY {
		return "", cmdutil.UsageErrorf("standard input is not a terminal: pass --password-stdin to read the password from it")
	}
	return o.ReadSecret(o.Ctx, "Password for "+o.Username+": ")
}

// loginBrowser logs in in the browser, or with the device flow when no
// browser can be used — saying so on standard error. The login URL is
// printed before the browser is opened, and the login never waits for
// the browser command: one that fails or stays in the foreground only
// leaves the user to open the URL.
func (o *LoginOptions) loginBrowser(c *userClient, force bool) error {
	if reason := o.noBrowserReason(); reason != "" {
		fmt.Fprintf(o.IO.ErrOut, "No browser can be used (%s): using the device flow instead.\n", reason)
		if o.IDP != "" {
			fmt.Fprintf(o.IO.ErrOut, "--idp is not sent with the device flow: choose %s on the device page.\n", o.IDP)
		}
		return o.loginDevice(c, force)
	}
	return c.LoginBrowser(o.Ctx, client.BrowserOptions{
		Prompt: o.promptBrowser, OpenURL: o.OpenBrowser,
		CallbackPort: o.CallbackPort, TokenName: o.TokenName, IDP: o.IDP, Force: force,
	})
}

// promptBrowser prints the login page's address, in case the browser
// does not open or opens somewhere the user does not look.
func (o *LoginOptions) promptBrowser(url string) {
	fmt.Fprintf(o.IO.ErrOut, "Opening the login page in your browser. If it does not open, open:\n  %s\n", names.Escape(url))
	fmt.Fprintln(o.IO.ErrOut, "Waiting for the login in the browser (Ctrl-C to cancel)…")
}

// noBrowserReason says why no browser can be used, or "" when one can:
// --no-browser, an SSH session, or Linux without a display.
func (o *LoginOptions) noBrowserReason() string {
	switch {
	case o.NoBrowser:
		return "--no-browser"
	case o.Getenv("SSH_CONNECTION") != "":
		return "SSH session"
	case o.GOOS == "linux" && o.Getenv("DISPLAY") == "" && o.Getenv("WAYLAND_DISPLAY") == "":
		return "no display: DISPLAY and WAYLAND_DISPLAY are unset"
	}
	return ""
}
