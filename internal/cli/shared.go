package cli

import (
	"bytes"

	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// The helpers the user commands share with the admin commands live in
// cmdutil; the types that cli.Main's callers see keep their names here.
type (
	// IOStreams are a command's standard streams (cmdutil.IOStreams).
	IOStreams = cmdutil.IOStreams
	// UsageError is a command line that cannot be run as written
	// (cmdutil.UsageError); Main exits with ExitUsage for it.
	UsageError = cmdutil.UsageError
)

// NewTestIOStreams returns IOStreams over buffers, for tests (see
// cmdutil.NewTestIOStreams).
func NewTestIOStreams() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	return cmdutil.NewTestIOStreams()
}
