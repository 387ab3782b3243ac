package cli

import (
	"bytes"
	"io"

	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// The helpers the user commands share with the admin commands live in
// cmdutil; these names keep their spelling in this package.
type (
	// IOStreams are a command's standard streams (cmdutil.IOStreams).
	IOStreams = cmdutil.IOStreams
	// UsageError is a command line that cannot be run as written
	// (cmdutil.UsageError); Main exits with ExitUsage for it.
	UsageError = cmdutil.UsageError
)

var (
	usageErrorf = cmdutil.UsageErrorf
	exactArgs   = cmdutil.ExactArgs
	newGroup    = cmdutil.NewGroup
	runGroup    = cmdutil.RunGroup
	writeJSON   = cmdutil.WriteJSON
	formatTime  = cmdutil.FormatTime
	jsonTime    = cmdutil.JSONTime
	yesNo       = cmdutil.YesNo
	isTerminal  = cmdutil.IsTerminal
)

// NewTestIOStreams returns IOStreams over buffers, for tests (see
// cmdutil.NewTestIOStreams).
func NewTestIOStreams() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	return cmdutil.NewTestIOStreams()
}

// table is a cmdutil.Table as the user commands write it.
type table struct{ t *cmdutil.Table }

func newTable(w io.Writer, header ...string) *table {
	return &table{t: cmdutil.NewTable(w, header...)}
}

func (t *table) row(cells ...string) { t.t.Row(cells...) }
func (t *table) flush() error        { return t.t.Flush() }
