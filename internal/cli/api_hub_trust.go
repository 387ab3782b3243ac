package cli

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/idna"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// trustHub decides whether `login --for` may log in to hub, which the
// API's metadata named: the API, not the user, chose it. A hub the user
// named (--server, HUBAUTH_SERVER) is trusted; a login that sends a secret
// to the hub (password, token, client secret) needs it named; otherwise a
// hub already stored is trusted, and any other is shown by its origin (in
// ASCII, so that a look-alike Unicode name shows as punycode) and must be
// confirmed on a terminal.
func (o *LoginOptions) trustHub(hub string) error {
	if o.namesHub(hub) {
		return nil
	}
	origin, err := asciiOrigin(hub)
	if err != nil {
		return fmt.Errorf("--for %s: the hub %q: %w", o.For, hub, err)
	}
	if o.sendsSecret() {
		return cmdutil.UsageErrorf("the API at %s chose the hub %s: a password, token or client secret goes only to a hub you name: add --server %s",
			o.For, origin, origin)
	}
	if slices.ContainsFunc(o.storedServers(), func(s string) bool { return sameURL(s, hub) }) {
		return nil
	}
	if !o.IO.IsStdinTTY {
		return cmdutil.UsageErrorf("the API at %s chose the hub %s, which you have not used: confirm it with --server %s", o.For, origin, origin)
	}
	fmt.Fprintf(o.IO.ErrOut, "The API at %s sends you to log in at %s, a hub you have not used. Log in there? [y/N] ", o.For, origin)
	answer, err := readLineContext(o.Ctx, o.IO)
	if err != nil {
		return errors.New("login cancelled")
	}
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
		return errors.New("login cancelled")
	}
	return nil
}

// namesHub reports whether the user named hub: --server or HUBAUTH_SERVER.
func (o *LoginOptions) namesHub(hub string) bool {
	return (o.Server != "" && sameURL(o.Server, hub)) || (o.Getenv(envServer) != "" && sameURL(o.Getenv(envServer), hub))
}

// sendsSecret reports whether the login gives the hub a secret of the
// user's: a password, a token or a client secret.
func (o *LoginOptions) sendsSecret() bool {
	return o.Method == client.MethodPassword || o.Method == client.MethodToken || o.ClientSecretStdin
}

// storedServers are the servers with a stored session (none when they
// cannot be read).
func (o *LoginOptions) storedServers() []string {
	if o.StoredSessions == nil {
		return nil
	}
	list, _ := o.StoredSessions()
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, s.Server)
	}
	return out
}

// asciiOrigin is rawURL's scheme://host[:port] with an internationalized
// host in its ASCII (punycode) form.
func asciiOrigin(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return "", errors.New("not a URL")
	}
	host, err := idna.Lookup.ToASCII(u.Hostname())
	if err != nil {
		return "", fmt.Errorf("not a valid host name: %w", err)
	}
	if p := u.Port(); p != "" {
		host += ":" + p
	}
	return u.Scheme + "://" + host, nil
}
