package cli

import (
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// StatusOptions are the inputs of `hubauth status`.
type StatusOptions struct {
	userOptions
	JSON bool
}

// statusJSON is `hubauth status --json`, a stable format:
//
//	server       string    the server (issuer URL)
//	profile      string    the session's profile
//	logged_in    bool      a session is there and can still be used
//	method       string    browser, device, token or password ("" when logged out)
//	username     string    the user's login name, if known
//	subject      string    the user's stable id (OIDC sub), if known
//	client_id    string    the OAuth client of the session
//	scopes       []string  the scopes granted
//	expiry       time|null when the access token expires (RFC 3339, UTC)
//	expired      bool      the server ended the session (or HUBAUTH_TOKEN expired)
//	refreshable  bool      the access token can be renewed
//	created_at   time|null when the user logged in
//	source       string    where the credentials are: the sessions file's path, "memory" or "HUBAUTH_TOKEN"
//	keyring      string    the keyring entry (account) holding the refresh token; absent when the file holds it
//	api_tokens   []object  the access tokens kept for APIs (token --resource, credential git): resource, expiry
//
// It never contains a token. When logged out or expired, status still
// prints it, then exits 4.
type statusJSON struct {
	Server      string     `json:"server"`
	Profile     string     `json:"profile"`
	LoggedIn    bool       `json:"logged_in"`
	Method      string     `json:"method"`
	Username    string     `json:"username"`
	Subject     string     `json:"subject"`
	ClientID    string     `json:"client_id"`
	Scopes      []string   `json:"scopes"`
	Expiry      *time.Time `json:"expiry"`
	Expired     bool       `json:"expired"`
	Refreshable bool       `json:"refreshable"`
	CreatedAt   *time.Time `json:"created_at"`
	Source      string     `json:"source"`
	// Keyring is the keyring entry holding the refresh token, if any.
	Keyring   string         `json:"keyring,omitempty"`
	APITokens []apiTokenJSON `json:"api_tokens"`
}

// apiTokenJSON is an access token kept for an API, without the token.
type apiTokenJSON struct {
	Resource string    `json:"resource"`
	Expiry   time.Time `json:"expiry"`
}

// NewCmdStatus returns `hubauth status`.
func NewCmdStatus(f *Factory, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{}
	cmd := &cobra.Command{
		Use:   "status [--server URL] [--json]",
		Short: "Show whether you are logged in, as whom, and where the session is kept",
		Long: `Show the session for a server: user, login method, expiry and where it is
kept (the sessions file, memory, or HUBAUTH_TOKEN). It sends no request and
shows no secret. Exits 4 when not logged in or when the session has expired
or was revoked.`,
		Args: cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			if runF != nil {
				return runF(opts)
			}
			return statusRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the status as JSON")
	return cmd
}

func statusRun(o *StatusOptions) error {
	c, err := o.client(ClientOptions{})
	if err != nil {
		return err
	}
	info, ok := c.Session()
	s := newStatusJSON(c, info, ok, o.Now())
	if o.JSON {
		err = cmdutil.WriteJSON(o.IO.Out, s)
	} else if ok {
		err = writeStatus(o.IO.Out, s, o.Now())
	}
	if err != nil {
		return err
	}
	switch {
	case !ok:
		return c.notLoggedIn()
	case !s.LoggedIn:
		return c.authError(client.ErrSessionExpired)
	}
	return nil
}

// newStatusJSON describes the session; a token session whose token has
// expired counts as expired.
func newStatusJSON(c *userClient, info client.SessionInfo, ok bool, now time.Time) statusJSON {
	s := statusJSON{Server: c.Server, Profile: c.Profile, Scopes: []string{}, APITokens: []apiTokenJSON{}}
	if !ok {
		return s
	}
	s.Method, s.Username, s.Subject, s.ClientID = info.Method, info.Username, info.Subject, info.ClientID
	if info.Scopes != nil {
		s.Scopes = info.Scopes
	}
	s.Expiry, s.CreatedAt, s.Source = cmdutil.JSONTime(info.Expiry), cmdutil.JSONTime(info.CreatedAt), info.Source
	s.Keyring = info.Keyring
	for _, t := range info.APITokens {
		s.APITokens = append(s.APITokens, apiTokenJSON{Resource: t.Resource, Expiry: t.Expiry.UTC()})
	}
	s.Refreshable = info.Refreshable
	s.Expired = !live(info, now)
	s.LoggedIn = !s.Expired
	return s
}

// writeStatus prints the status for a person.
func writeStatus(w io.Writer, s statusJSON, now time.Time) error {
	user := s.Username
	if s.Subject != "" {
		user = strings.TrimSpace(user + " (sub " + s.Subject + ")")
	}
	t := cmdutil.NewTable(w, "Server:", s.Server)
	t.Row("Profile:", s.Profile)
	t.Row("User:", user)
	t.Row("Method:", s.Method)
	t.Row("Client:", s.ClientID)
	t.Row("Scopes:", strings.Join(s.Scopes, " "))
	t.Row("Expires:", describeExpiry(s, now))
	t.Row("Stored:", describeSource(s.Source))
	if s.Keyring != "" {
		t.Row("Refresh token:", "in the keyring (service "+client.KeyringService+", account "+s.Keyring+")")
	}
	for _, a := range s.APITokens {
		t.Row("API token:", a.Resource+", "+describeAPIExpiry(a.Expiry, now))
	}
	return t.Flush()
}

// describeExpiry says when the access token expires and what then.
func describeExpiry(s statusJSON, now time.Time) string {
	switch {
	case s.Expired:
		return "expired: log in again"
	case s.Expiry == nil:
		return "unknown"
	case !s.Expiry.After(now):
		return cmdutil.FormatTime(*s.Expiry) + " (past: refreshed at the next use)"
	}
	when := cmdutil.FormatTime(*s.Expiry) + " (in " + s.Expiry.Sub(now).Round(time.Second).String() + ")"
	if s.Refreshable {
		return when + ", then refreshed"
	}
	return when
}

// describeAPIExpiry says until when a kept API token is used.
func describeAPIExpiry(exp, now time.Time) string {
	if !exp.After(now) {
		return "expired " + cmdutil.FormatTime(exp) + " (a new one at the next use)"
	}
	return "until " + cmdutil.FormatTime(exp) + " (in " + exp.Sub(now).Round(time.Second).String() + ")"
}

// describeSource says where the credentials are kept.
func describeSource(source string) string {
	switch source {
	case client.SourceEnv:
		return "HUBAUTH_TOKEN (environment variable)"
	case client.SourceMemory:
		return "memory only (nothing on disk)"
	}
	return source
}
