package admincmd

import (
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/storage"
)

// AuditOptions are the inputs of `hubauth admin audit`.
type AuditOptions struct {
	adminOptions
	Limit int
	JSON  bool
}

// NewCmdAudit returns `hubauth admin audit [--limit N] [--json]`.
func NewCmdAudit(f *Factory, runF func(*AuditOptions) error) *cobra.Command {
	opts := &AuditOptions{}
	cmd := &cobra.Command{
		Use:   "audit [--limit N] [--json]",
		Short: "Show the audit log, newest first",
		Long: "Show the audit log, newest first: logins, failed logins, refresh token reuse,\n" +
			"revocations and admin changes.\n\n" +
			"--json prints an array of {id, time, type, user_id, client_id, address, detail}.",
		Args: cmdutil.ExactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.adminOptions = newAdminOptions(f, cmd)
			if opts.Limit < 1 {
				return cmdutil.UsageErrorf("--limit must be at least 1")
			}
			if runF != nil {
				return runF(opts)
			}
			return auditRun(opts)
		},
	}
	cmd.Flags().IntVar(&opts.Limit, "limit", 50, "show at most `N` events")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// AuditJSON is an event in `audit --json`.
type AuditJSON struct {
	ID       int64     `json:"id"`
	Time     time.Time `json:"time"`
	Type     string    `json:"type"`
	UserID   string    `json:"user_id"`
	ClientID string    `json:"client_id"`
	Address  string    `json:"address"`
	Detail   string    `json:"detail"`
}

func auditRun(opts *AuditOptions) error {
	return opts.withStore(func(s storage.Storage) error {
		events, err := s.ListAudit(opts.Ctx, opts.Limit)
		if err != nil {
			return err
		}
		if opts.JSON {
			out := make([]AuditJSON, 0, len(events))
			for _, e := range events {
				out = append(out, AuditJSON{ID: e.ID, Time: e.Time.UTC(), Type: e.Type,
					UserID: e.UserID, ClientID: e.ClientID, Address: e.Address, Detail: e.Detail})
			}
			return cmdutil.WriteJSON(opts.IO.Out, out)
		}
		t := cmdutil.NewTable(opts.IO.Out, "ID", "TIME", "TYPE", "USER", "CLIENT", "ADDRESS", "DETAIL")
		for _, e := range events {
			t.Row(strconv.FormatInt(e.ID, 10), cmdutil.FormatTime(e.Time), e.Type, e.UserID, e.ClientID, e.Address, e.Detail)
		}
		return t.Flush()
	})
}
