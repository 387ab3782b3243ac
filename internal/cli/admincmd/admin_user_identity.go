package admincmd

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// UserIdentityOptions are the inputs of `hubauth admin user link` and
// `user unlink`.
type UserIdentityOptions struct {
	adminOptions
	Username string
	Provider string // --idp
	Subject  string
	Unlink   bool // unlink, else link
}

// NewCmdUserLink returns `hubauth admin user link USER --idp NAME
// --subject SUB`, or with unlink true `user unlink USER --idp NAME
// --subject SUB`.
func NewCmdUserLink(f *Factory, runF func(*UserIdentityOptions) error, unlink bool) *cobra.Command {
	opts := &UserIdentityOptions{Unlink: unlink}
	cmd := &cobra.Command{
		Use:   "link USER --idp NAME --subject SUB",
		Short: "Link an upstream identity to a user, who then signs in with it",
		Long: "Link an upstream identity to a user: whoever signs in at the identity provider\n" +
			"NAME with subject SUB (the upstream's sub claim, e.g. an ORCID iD) signs in as USER.\n" +
			"With --provision off at the provider, this is how an unknown identity gets in.\n" +
			"An identity belongs to one user: one linked already is refused.",
		Example: "  hubauth admin user link ada --idp orcid --subject 0000-0002-1825-0097",
		Args:    cmdutil.ExactArgs("USER"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Username = args[0]
			if opts.Provider == "" || opts.Subject == "" {
				return cmdutil.UsageErrorf("give the identity: --idp NAME --subject SUB")
			}
			if runF != nil {
				return runF(opts)
			}
			return userIdentityRun(opts)
		},
	}
	if unlink {
		cmd.Use, cmd.Short, cmd.Example = "unlink USER --idp NAME --subject SUB", "Unlink an upstream identity from a user",
			"  hubauth admin user unlink ada --idp orcid --subject 0000-0002-1825-0097"
		cmd.Long = "Unlink an upstream identity from a user: it no longer signs in as the user.\n" +
			"A user keeps a way to sign in: the last identity of a user without a password\n" +
			"cannot be unlinked (set a password or link another identity first); identities\n" +
			"of disabled providers do not count. A password always counts here: this command\n" +
			"reads the database and cannot know whether the servers run with\n" +
			"--password-login=false; on such a hub, make sure the user keeps an identity."
	}
	cmd.Flags().StringVar(&opts.Provider, "idp", "", "the identity provider's name (required)")
	cmd.Flags().StringVar(&opts.Subject, "subject", "", "the user's subject at the provider: its sub claim (required)")
	return cmd
}

func userIdentityRun(opts *UserIdentityOptions) error {
	return opts.withAdmin(func(a *admin.Admin) error {
		if opts.Unlink {
			if err := a.UnlinkUserIdentity(opts.Ctx, opts.Username, opts.Provider, opts.Subject); err != nil {
				return err
			}
			opts.printf("Unlinked identity %q of %q from user %q.\n", opts.Subject, opts.Provider, opts.Username)
			return nil
		}
		if _, err := a.LinkUserIdentity(opts.Ctx, opts.Username, opts.Provider, opts.Subject); err != nil {
			return err
		}
		opts.printf("Linked identity %q of %q to user %q.\n", opts.Subject, opts.Provider, opts.Username)
		return nil
	})
}

// UserIdentitiesOptions are the inputs of `hubauth admin user identities`.
type UserIdentitiesOptions struct {
	adminOptions
	Username string
	JSON     bool
}

// NewCmdUserIdentities returns `hubauth admin user identities USER [--json]`.
func NewCmdUserIdentities(f *Factory, runF func(*UserIdentitiesOptions) error) *cobra.Command {
	opts := &UserIdentitiesOptions{}
	cmd := &cobra.Command{
		Use:   "identities USER [--json]",
		Short: "List the upstream identities a user signs in with",
		Long: "List the upstream identities linked to a user: provider, subject, when linked and\n" +
			"when last used to sign in.\n\n" +
			"--json prints an array of {provider, subject, created_at, last_login_at}.",
		Args: cmdutil.ExactArgs("USER"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			opts.Username = args[0]
			if runF != nil {
				return runF(opts)
			}
			return userIdentitiesRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// IdentityJSON is an identity in `user identities --json`.
type IdentityJSON struct {
	Provider    string     `json:"provider"`
	Subject     string     `json:"subject"`
	CreatedAt   *time.Time `json:"created_at"`
	LastLoginAt *time.Time `json:"last_login_at"` // null: never used
}

func userIdentitiesRun(opts *UserIdentitiesOptions) error {
	return opts.withAdmin(func(a *admin.Admin) error {
		ids, err := a.ListUserIdentities(opts.Ctx, opts.Username)
		if err != nil {
			return err
		}
		if opts.JSON {
			out := make([]IdentityJSON, 0, len(ids))
			for _, id := range ids {
				out = append(out, IdentityJSON{Provider: id.Provider, Subject: id.Subject,
					CreatedAt: cmdutil.JSONTime(id.CreatedAt), LastLoginAt: cmdutil.JSONTime(id.LastLoginAt)})
			}
			return cmdutil.WriteJSON(opts.IO.Out, out)
		}
		t := cmdutil.NewTable(opts.IO.Out, "PROVIDER", "SUBJECT", "LINKED", "LAST SIGN-IN")
		for _, id := range ids {
			last := "never"
			if !id.LastLoginAt.IsZero() {
				last = cmdutil.FormatTime(id.LastLoginAt)
			}
			t.Row(id.Provider, id.Subject, cmdutil.FormatTime(id.CreatedAt), last)
		}
		return t.Flush()
	})
}
