package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// maxUserLookups is how many users one `users show` asks for: each
// argument is sent as an id and as a username, and the server takes 100.
const maxUserLookups = 50

// UsersShowOptions are the inputs of `hubauth users show`.
type UsersShowOptions struct {
	userOptions
	Users []string // ids or usernames
	JSON  bool
}

// hubUserJSON is one user of `hubauth users show --json` and `hubauth groups
// members --json` (arrays), a stable format:
//
//	id        string  the user's stable id (OIDC sub)
//	username  string  the unique login name
//	name      string  the full name
//	email     string  only for yourself (admins: everyone); else ""
type hubUserJSON struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	Email    string `json:"email"`
}

// NewCmdUsers returns `hubauth users`.
func NewCmdUsers(f *Factory) *cobra.Command {
	return cmdutil.NewGroup("users", "Look up users of the server", NewCmdUsersShow(f, nil))
}

// NewCmdUsersShow returns `hubauth users show`, CAVE's
// get_user_information.
func NewCmdUsersShow(f *Factory, runF func(*UsersShowOptions) error) *cobra.Command {
	opts := &UsersShowOptions{}
	cmd := &cobra.Command{
		Use:   "show ID-or-USERNAME... [--json]",
		Short: "Show users by id or username",
		Long: `Show users, each given by id (the OIDC sub) or username: id, username, name,
and e-mail for yourself (admins see everyone's). The users found are printed;
when some are not, the command says which and exits 1.`,
		Example: `  hubauth users show ada bob`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.UsageErrorf("missing ID-or-USERNAME")
			}
			if len(args) > maxUserLookups {
				return cmdutil.UsageErrorf("at most %d users at a time", maxUserLookups)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			opts.Users = args
			return runOrF(opts, runF, usersShowRun)
		},
	}
	addJSONFlag(cmd, &opts.JSON, "the users")
	return cmd
}

func usersShowRun(o *UsersShowOptions) error {
	c, err := o.accountClient()
	if err != nil {
		return err
	}
	users, err := c.Users(o.Ctx, o.Users, o.Users)
	if err != nil {
		return c.apiError(err)
	}
	if err := writeUsers(o.IO.Out, users, o.JSON, true); err != nil {
		return err
	}
	if missing := missingUsers(o.Users, users); len(missing) > 0 {
		return errors.New("no user with id or username " + strings.Join(missing, ", "))
	}
	return nil
}

// missingUsers returns the queries no user matched.
func missingUsers(queries []string, users []client.User) []string {
	var missing []string
	for _, q := range queries {
		found := false
		for _, u := range users {
			found = found || u.ID == q || u.Username == q
		}
		if !found {
			missing = append(missing, fmt.Sprintf("%q", q))
		}
	}
	return missing
}

// writeUsers prints users as a table (with an EMAIL column if email) or
// as a JSON array.
func writeUsers(w io.Writer, users []client.User, asJSON, email bool) error {
	if asJSON {
		out := make([]hubUserJSON, 0, len(users))
		for _, u := range users {
			out = append(out, hubUserJSON{ID: u.ID, Username: u.Username, Name: u.Name, Email: u.Email})
		}
		return cmdutil.WriteJSON(w, out)
	}
	if len(users) == 0 {
		return nil
	}
	header := []string{"ID", "USERNAME", "NAME"}
	if email {
		header = append(header, "EMAIL")
	}
	t := cmdutil.NewTable(w, header...)
	for _, u := range users {
		row := []string{u.ID, u.Username, u.Name}
		if email {
			row = append(row, u.Email)
		}
		t.Row(row...)
	}
	return t.Flush()
}
