package admincmd

import (
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/storage"
)

// UserListOptions are the inputs of `hubauth admin user list`.
type UserListOptions struct {
	adminOptions
	JSON bool
}

// NewCmdUserList returns `hubauth admin user list [--json]`.
func NewCmdUserList(f *Factory, runF func(*UserListOptions) error) *cobra.Command {
	opts := &UserListOptions{}
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List users",
		Long: "List users: username, name, e-mail, admin, disabled, second factors (and the\n" +
			"recovery codes left) and id (the OIDC subject).\n\n" +
			"--json prints an array of {id, username, name, email, admin, disabled, created_at,\n" +
			"factors, recovery_codes}; factors lists \"totp\" for an authenticator app.",
		Args: cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			if runF != nil {
				return runF(opts)
			}
			return userListRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// UserJSON is a user in `user list --json` and `group members --json`. It
// has no password hash field, so the hash cannot be printed.
type UserJSON struct {
	ID        string     `json:"id"`
	Username  string     `json:"username"`
	Name      string     `json:"name"`
	Email     string     `json:"email"`
	Admin     bool       `json:"admin"`
	Disabled  bool       `json:"disabled"`
	CreatedAt *time.Time `json:"created_at"`
}

// userListJSON is a user in `user list --json`: UserJSON and the second
// factors.
type userListJSON struct {
	UserJSON
	Factors       []string `json:"factors"`
	RecoveryCodes int      `json:"recovery_codes"`
}

func userListRun(opts *UserListOptions) error {
	return opts.withAdmin(func(a *admin.Admin) error {
		users, factors, err := a.ListUsersWithFactors(opts.Ctx)
		if err != nil {
			return err
		}
		return printUserList(opts.IO, users, factors, opts.JSON)
	})
}

// printUserList prints users with their second factors, as a table or as
// JSON, never their password hash.
func printUserList(io *cmdutil.IOStreams, users []storage.User, factors map[string]storage.SecondFactors, asJSON bool) error {
	if asJSON {
		out := make([]userListJSON, 0, len(users))
		for _, u := range users {
			f := factors[u.ID]
			out = append(out, userListJSON{UserJSON: userJSON(u), Factors: admin.FactorNames(f), RecoveryCodes: f.RecoveryCodes})
		}
		return cmdutil.WriteJSON(io.Out, out)
	}
	t := cmdutil.NewTable(io.Out, "USERNAME", "NAME", "EMAIL", "ADMIN", "DISABLED", "FACTORS", "ID")
	for _, u := range users {
		f := factors[u.ID]
		shown := "-"
		if names := admin.FactorNames(f); len(names) > 0 {
			shown = strings.Join(names, ",") + " (" + strconv.Itoa(f.RecoveryCodes) + " recovery codes)"
		}
		t.Row(u.Username, u.Name, u.Email, cmdutil.YesNo(u.Admin), cmdutil.YesNo(u.Disabled), shown, u.ID)
	}
	return t.Flush()
}

// userJSON is u as UserJSON.
func userJSON(u storage.User) UserJSON {
	return UserJSON{ID: u.ID, Username: u.Username, Name: u.Name, Email: u.Email,
		Admin: u.Admin, Disabled: u.Disabled, CreatedAt: cmdutil.JSONTime(u.CreatedAt)}
}

// printUsers prints users as a table or as JSON, never their password hash.
func printUsers(io *cmdutil.IOStreams, users []storage.User, asJSON bool) error {
	if asJSON {
		out := make([]UserJSON, 0, len(users))
		for _, u := range users {
			out = append(out, userJSON(u))
		}
		return cmdutil.WriteJSON(io.Out, out)
	}
	t := cmdutil.NewTable(io.Out, "USERNAME", "NAME", "EMAIL", "ADMIN", "DISABLED", "ID")
	for _, u := range users {
		t.Row(u.Username, u.Name, u.Email, cmdutil.YesNo(u.Admin), cmdutil.YesNo(u.Disabled), u.ID)
	}
	return t.Flush()
}
