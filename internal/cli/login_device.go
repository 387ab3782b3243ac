package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mdp/qrterminal/v3"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/names"
)

// loginDevice logs in with the device flow (RFC 8628): it shows the page
// and the code (and a QR code of the complete URL on a terminal), then
// waits until the user approves or denies, the code expires, or Ctrl-C.
func (o *LoginOptions) loginDevice(c *userClient, force bool) error {
	return c.LoginDevice(o.Ctx, client.DeviceOptions{Prompt: o.showDeviceCode, TokenName: o.TokenName, Force: force})
}

// showDeviceCode tells the user where to approve the login, on standard
// error.
func (o *LoginOptions) showDeviceCode(dc client.DeviceCode) {
	w := o.IO.ErrOut
	fmt.Fprintf(w, "To log in, open this page on any device:\n  %s\nand enter the code: %s\n", names.Escape(dc.VerificationURI), names.Escape(dc.UserCode))
	if dc.VerificationURIComplete != "" && o.interactive() {
		fmt.Fprintf(w, "Or open %s\nor scan this QR code:\n", names.Escape(dc.VerificationURIComplete))
		writeQR(w, dc.VerificationURIComplete)
	}
	fmt.Fprintf(w, "Waiting for approval%s. Press Ctrl-C to cancel.\n", expiresAt(dc.Expiry, o.Now()))
}

// interactive reports whether a person is probably watching: standard
// output or standard error is a terminal.
func (o *LoginOptions) interactive() bool {
	return o.IO.IsStdoutTTY || isTerminalWriter(o.IO.ErrOut)
}

// writeQR draws a QR code of text with half blocks (two rows of modules
// per line) in a light quiet zone, which phone cameras read.
func writeQR(w io.Writer, text string) {
	qrterminal.GenerateHalfBlock(text, qrterminal.L, w)
}

// expiresAt describes when the code expires, or "" when unknown.
func expiresAt(expiry, now time.Time) string {
	if expiry.IsZero() {
		return ""
	}
	left := expiry.Sub(now).Round(time.Minute)
	if left < time.Minute {
		return "; the code expires in less than a minute"
	}
	return fmt.Sprintf("; the code expires in %d min", int(left.Minutes()))
}

// isTerminalWriter reports whether w is a terminal.
func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && cmdutil.IsTerminal(f)
}
