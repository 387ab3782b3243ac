package cli

import (
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// WhoamiOptions are the inputs of `hubauth whoami`.
type WhoamiOptions struct {
	userOptions
	JSON bool
}

// whoamiJSON is `hubauth whoami --json`, a stable format (the provider's
// userinfo, OpenID Connect Core 1.0 §5.3):
//
//	sub       string    the user's stable id
//	username  string    preferred_username ("" when not sent)
//	name      string    full name ("" when not sent)
//	email     string    e-mail address ("" when not sent)
//	groups    []string  the user's groups ([] when not sent: hubauth sends them with the groups scope)
type whoamiJSON struct {
	Subject  string   `json:"sub"`
	Username string   `json:"username"`
	Name     string   `json:"name"`
	Email    string   `json:"email"`
	Groups   []string `json:"groups"`
}

// NewCmdWhoami returns `hubauth whoami`.
func NewCmdWhoami(f *Factory, runF func(*WhoamiOptions) error) *cobra.Command {
	opts := &WhoamiOptions{}
	cmd := &cobra.Command{
		Use:   "whoami [--json]",
		Short: "Ask the server who you are logged in as",
		Long: `Ask the server's userinfo endpoint who the session (or HUBAUTH_TOKEN)
belongs to: user name, name, e-mail, subject and groups. The server is
$HUBAUTH_SERVER, else the only stored server. Exits 4 when not logged in.`,
		Args: cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.setup(f, cmd)
			if runF != nil {
				return runF(opts)
			}
			return whoamiRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the user as JSON")
	return cmd
}

func whoamiRun(o *WhoamiOptions) error {
	c, err := o.client(ClientOptions{})
	if err != nil {
		return err
	}
	if _, ok := c.Session(); !ok {
		return c.notLoggedIn() // before any request: the server may be down too
	}
	info, err := c.Userinfo(o.Ctx)
	if err != nil {
		return c.authError(err)
	}
	w := newWhoamiJSON(info)
	if o.JSON {
		return cmdutil.WriteJSON(o.IO.Out, w)
	}
	return writeWhoami(o.IO.Out, w)
}

// newWhoamiJSON picks the userinfo claims whoami shows.
func newWhoamiJSON(info *client.UserInfo) whoamiJSON {
	w := whoamiJSON{Subject: info.Subject, Username: info.Username, Name: info.Name, Email: info.Email, Groups: []string{}}
	if list, ok := info.Claims["groups"].([]any); ok {
		for _, g := range list {
			if s, ok := g.(string); ok {
				w.Groups = append(w.Groups, s)
			}
		}
	}
	return w
}

// writeWhoami prints the user for a person; absent claims show as "-".
func writeWhoami(out io.Writer, w whoamiJSON) error {
	t := cmdutil.NewTable(out, "Username:", w.Username)
	t.Row("Name:", w.Name)
	t.Row("Email:", w.Email)
	t.Row("Subject:", w.Subject)
	t.Row("Groups:", strings.Join(w.Groups, ", "))
	return t.Flush()
}
