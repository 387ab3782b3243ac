package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// NewCmdSessions returns `hubauth sessions`: the user's logins.
func NewCmdSessions(f *Factory) *cobra.Command {
	cmd := cmdutil.NewGroup("sessions", "List and revoke your logins (browser, device, password)",
		NewCmdSessionsList(f, nil), NewCmdSessionsRevoke(f, nil))
	cmd.Long = `Every login (in a browser, with a device code, with a password) is a session
on the server until it is revoked or expires. List them to see which client,
name (login --token-name), address and times each has; revoke one to end it:
its refresh token stops working.`
	return cmd
}

// SessionsListOptions are the inputs of `hubauth sessions list`.
type SessionsListOptions struct {
	userOptions
	JSON bool
}

// sessionJSON is one session of `hubauth sessions list --json` (an
// array), a stable format; it holds no token:
//
//	id            string  the session's id, for sessions revoke
//	client_id     string  the OAuth client logged in with
//	client_name   string  its display name (else its id)
//	method        string  browser, device or password
//	name          string  the name given at login ("" when none)
//	address       string  the address the login came from ("" when unknown)
//	created_at    time    when the user logged in (RFC 3339, UTC)
//	last_used_at  time|null  when it was last refreshed or used
//	current       bool    the session this command used
//	acting_for    string  for a service acting for you (method exchange): the login it acts from ("" for a login)
//	actors        []string  the clients acting for you through it, its own first ([] for a login)
//	personal_token string for a service acting from a personal token: its id (acting_for is pat:<id>)
type sessionJSON struct {
	ID            string     `json:"id"`
	ClientID      string     `json:"client_id"`
	ClientName    string     `json:"client_name"`
	Method        string     `json:"method"`
	Name          string     `json:"name"`
	Address       string     `json:"address"`
	CreatedAt     *time.Time `json:"created_at"`
	LastUsedAt    *time.Time `json:"last_used_at"`
	Current       bool       `json:"current"`
	ActingFor     string     `json:"acting_for"`
	Actors        []string   `json:"actors"`
	PersonalToken string     `json:"personal_token"`
}

// NewCmdSessionsList returns `hubauth sessions list`.
func NewCmdSessionsList(f *Factory, runF func(*SessionsListOptions) error) *cobra.Command {
	opts := &SessionsListOptions{}
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List your logins; * marks the current one",
		Args:  cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			return runOrF(opts, runF, sessionsListRun)
		},
	}
	addJSONFlag(cmd, &opts.JSON, "the sessions")
	return cmd
}

func sessionsListRun(o *SessionsListOptions) error {
	c, err := o.accountClient()
	if err != nil {
		return err
	}
	sessions, err := c.Sessions(o.Ctx)
	if err != nil {
		return c.apiError(err)
	}
	if o.JSON {
		out := make([]sessionJSON, 0, len(sessions))
		for _, s := range sessions {
			out = append(out, sessionJSON{ID: s.ID, ClientID: s.ClientID, ClientName: s.ClientName, Method: s.Method,
				Name: s.Name, Address: s.Address, CreatedAt: cmdutil.JSONTime(s.CreatedAt), LastUsedAt: cmdutil.JSONTime(s.LastUsedAt),
				Current: s.Current, ActingFor: s.ActingFor, Actors: append([]string{}, s.Actors...),
				PersonalToken: s.PersonalToken})
		}
		return cmdutil.WriteJSON(o.IO.Out, out)
	}
	t := cmdutil.NewTable(o.IO.Out, " ", "ID", "CLIENT", "METHOD", "NAME", "ADDRESS", "CREATED", "LAST-USED")
	for _, s := range sessions {
		mark := " "
		if s.Current {
			mark = "*"
		}
		method := s.Method
		switch {
		case s.PersonalToken != "": // a service acting for the user, from that personal token
			method = "acting for personal token " + s.PersonalToken
		case s.ActingFor != "": // a service acting for the user, from that login
			method = "acting for " + s.ActingFor
		}
		t.Row(mark, s.ID, s.ClientName, method, s.Name, s.Address, cmdutil.FormatTime(s.CreatedAt), cmdutil.FormatTime(s.LastUsedAt))
	}
	return t.Flush()
}

// SessionsRevokeOptions are the inputs of `hubauth sessions revoke`.
type SessionsRevokeOptions struct {
	userOptions
	ID string
}

// NewCmdSessionsRevoke returns `hubauth sessions revoke`.
func NewCmdSessionsRevoke(f *Factory, runF func(*SessionsRevokeOptions) error) *cobra.Command {
	opts := &SessionsRevokeOptions{}
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "End one of your logins",
		Long: `End the session with ID (see hubauth sessions list): its refresh token stops
working, and its access token expires within minutes. Revoking the current
session logs this computer out; hubauth logout does that and forgets it too.`,
		Args: cmdutil.ExactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			opts.ID = args[0]
			return runOrF(opts, runF, sessionsRevokeRun)
		},
	}
}

func sessionsRevokeRun(o *SessionsRevokeOptions) error {
	c, err := o.accountClient()
	if err != nil {
		return err
	}
	if err := c.RevokeSession(o.Ctx, o.ID); err != nil {
		return c.apiError(err)
	}
	fmt.Fprintf(o.IO.ErrOut, "Revoked session %s.\n", o.ID)
	return nil
}
