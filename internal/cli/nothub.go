package cli

import (
	"fmt"
	"strings"

	"github.com/hubauth/hubauth/client"
)

// hubNouns name what each hub-only command manages.
var hubNouns = map[string]string{
	"tokens": "personal tokens", "sessions": "sessions", "users": "users", "groups": "groups",
}

// notHubError is the one-line error of a hub-only command (tokens,
// sessions, users, groups) run against a provider that is not a hubauth
// server (client.ErrNotHub), e.g. "https://id.example.org is not a hubauth
// server: personal tokens are managed there at https://id.example.org/account".
func notHubError(e *client.NotHubError, command string) error {
	group := command
	if f := strings.Fields(command); len(f) > 1 {
		group = f[1]
	}
	noun, ok := hubNouns[group]
	if !ok {
		noun = "accounts"
	}
	msg := fmt.Sprintf("%s is not a hubauth server: 'hubauth %s' works with hubauth servers only", e.Server, group)
	if e.AccountURI != "" {
		msg = fmt.Sprintf("%s is not a hubauth server: %s are managed there at %s", e.Server, noun, e.AccountURI)
	}
	return &notHub{msg: msg, err: e}
}

// notHub is notHubError's error; it unwraps to the *client.NotHubError.
type notHub struct {
	msg string
	err error
}

func (e *notHub) Error() string { return e.msg }
func (e *notHub) Unwrap() error { return e.err }
