package admincmd

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/storage"
)

// APIListOptions are the inputs of `hubauth admin api list` and `api show`.
type APIListOptions struct {
	adminOptions
	ID   string // show: the API; list: ""
	JSON bool
}

// NewCmdAPIList returns `hubauth admin api list [--json]`.
func NewCmdAPIList(f *Factory, runF func(*APIListOptions) error) *cobra.Command {
	return newCmdAPIRead(f, runF, "list [--json]", "List the registered APIs", cmdutil.ExactArgs())
}

// NewCmdAPIShow returns `hubauth admin api show ID [--json]`.
func NewCmdAPIShow(f *Factory, runF func(*APIListOptions) error) *cobra.Command {
	return newCmdAPIRead(f, runF, "show ID [--json]", "Show a registered API", cmdutil.ExactArgs("ID"))
}

func newCmdAPIRead(f *Factory, runF func(*APIListOptions) error, use, short string, args cobra.PositionalArgs) *cobra.Command {
	opts := &APIListOptions{}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long:  short + ".\n\n--json prints {id, uri, name, scopes, created_at} (an array for list).",
		Args:  args,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			if len(args) == 1 {
				opts.ID = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return apiListRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// APIJSON is an API in `api list --json` and `api show --json`.
type APIJSON struct {
	ID        string     `json:"id"`
	URI       string     `json:"uri"`
	Name      string     `json:"name"`
	Scopes    []string   `json:"scopes"`
	CreatedAt *time.Time `json:"created_at"`
}

func apiJSON(a storage.API) APIJSON {
	return APIJSON{ID: a.ID, URI: a.URI, Name: a.Name, Scopes: nonNil(a.Scopes), CreatedAt: cmdutil.JSONTime(a.CreatedAt)}
}

func apiListRun(opts *APIListOptions) error {
	return opts.withStore(func(s storage.Storage) error {
		if opts.ID != "" {
			a, err := admin.GetAPI(opts.Ctx, s, opts.ID)
			if err != nil {
				return err
			}
			return printAPI(opts, a)
		}
		list, err := s.ListAPIs(opts.Ctx)
		if err != nil {
			return err
		}
		if opts.JSON {
			out := make([]APIJSON, 0, len(list))
			for _, a := range list {
				out = append(out, apiJSON(a))
			}
			return cmdutil.WriteJSON(opts.IO.Out, out)
		}
		t := cmdutil.NewTable(opts.IO.Out, "ID", "URI", "NAME", "SCOPES", "CREATED")
		for _, a := range list {
			t.Row(a.ID, a.URI, a.Name, strings.Join(a.Scopes, ","), cmdutil.FormatTime(a.CreatedAt))
		}
		return t.Flush()
	})
}

// printAPI prints one API for api show.
func printAPI(opts *APIListOptions, a storage.API) error {
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, apiJSON(a))
	}
	for _, kv := range [][2]string{
		{"ID:", a.ID}, {"URI:", a.URI}, {"Name:", a.Name}, {"Scopes:", strings.Join(a.Scopes, " ")},
		{"Created:", cmdutil.FormatTime(a.CreatedAt)},
	} {
		if kv[1] == "" {
			kv[1] = "-"
		}
		if _, err := fmt.Fprintf(opts.IO.Out, "%-10s%s\n", kv[0], names.Escape(kv[1])); err != nil {
			return err
		}
	}
	return nil
}
