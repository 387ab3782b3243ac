package admincmd

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/storage"
)

func newCmdAdminKeys(f *Factory) *cobra.Command {
	return cmdutil.NewGroup("keys", "Manage token signing keys",
		NewCmdKeysRotate(f, nil),
		NewCmdKeysList(f, nil),
	)
}

// KeysRotateOptions are the inputs of `hubauth admin keys rotate`.
type KeysRotateOptions struct {
	adminOptions
}

// NewCmdKeysRotate returns `hubauth admin keys rotate`.
func NewCmdKeysRotate(f *Factory, runF func(*KeysRotateOptions) error) *cobra.Command {
	opts := &KeysRotateOptions{}
	return &cobra.Command{
		Use:   "rotate",
		Short: "Make a new signing key and retire the current one",
		Long: "Make a new ES256 signing key and retire the current one. Running servers pick\n" +
			"the new key up within seconds; retired keys stay published at the jwks endpoint\n" +
			"until every token they signed has expired. Prints the new key's id.",
		Args: cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			if runF != nil {
				return runF(opts)
			}
			return keysRotateRun(opts)
		},
	}
}

func keysRotateRun(opts *KeysRotateOptions) error {
	return opts.withAdmin(func(a *admin.Admin) error {
		k, err := a.RotateKeys(opts.Ctx)
		if err != nil {
			return err
		}
		opts.printf("Rotated the signing keys; the new key signs from now on.\n")
		fmt.Fprintln(opts.IO.Out, k.ID)
		return nil
	})
}

// KeysListOptions are the inputs of `hubauth admin keys list`.
type KeysListOptions struct {
	adminOptions
	JSON bool
}

// NewCmdKeysList returns `hubauth admin keys list [--json]`.
func NewCmdKeysList(f *Factory, runF func(*KeysListOptions) error) *cobra.Command {
	opts := &KeysListOptions{}
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List signing keys, newest first",
		Long: "List signing keys, newest first (never their private half).\n\n" +
			"--json prints an array of {id, algorithm, created_at, retired_at}; retired_at is\n" +
			"null for the active key.",
		Args: cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			if runF != nil {
				return runF(opts)
			}
			return keysListRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// KeyJSON is a signing key in `keys list --json`: no private key field.
type KeyJSON struct {
	ID        string     `json:"id"`
	Algorithm string     `json:"algorithm"`
	CreatedAt *time.Time `json:"created_at"`
	RetiredAt *time.Time `json:"retired_at"`
}

func keysListRun(opts *KeysListOptions) error {
	return opts.withStore(func(s storage.Storage) error {
		list, err := s.ListSigningKeys(opts.Ctx)
		if err != nil {
			return err
		}
		if opts.JSON {
			out := make([]KeyJSON, 0, len(list))
			for _, k := range list {
				out = append(out, KeyJSON{ID: k.ID, Algorithm: k.Algorithm,
					CreatedAt: cmdutil.JSONTime(k.CreatedAt), RetiredAt: cmdutil.JSONTime(k.RetiredAt)})
			}
			return cmdutil.WriteJSON(opts.IO.Out, out)
		}
		t := cmdutil.NewTable(opts.IO.Out, "ID", "ALGORITHM", "CREATED", "RETIRED")
		for _, k := range list {
			t.Row(k.ID, k.Algorithm, cmdutil.FormatTime(k.CreatedAt), cmdutil.FormatTime(k.RetiredAt))
		}
		return t.Flush()
	})
}
