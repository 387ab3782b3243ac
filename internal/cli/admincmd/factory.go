package admincmd

import (
	"context"
	"time"

	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/storage"
)

// Factory hands the admin commands their dependencies; the root command
// fills it from the CLI's Factory. Tests may set any field.
type Factory struct {
	IOStreams *cmdutil.IOStreams
	Now       func() time.Time
	// OpenStore opens the database chosen by the --db value ("" for the
	// default). The caller closes it.
	OpenStore func(ctx context.Context, dbFlag string) (storage.Storage, error)
	// HashPassword hashes a password for storage (argon2id).
	HashPassword func(ctx context.Context, pw string) (string, error)
	// Getenv reads the environment (HUBAUTH_ISSUER); nil reads nothing.
	Getenv func(string) string
}
