package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
	"github.com/hubauth/hubauth/internal/password"
	"github.com/hubauth/hubauth/internal/storage"
)

// Env is what the process gives hubauth: its streams, environment, clock
// and home directory. Zero fields are safe for tests: no environment
// variables, time.Now, no home directory, runtime.GOOS, a background
// context. System returns the real process's Env.
type Env struct {
	IO          *IOStreams
	Getenv      func(string) string
	Now         func() time.Time
	UserHomeDir func() (string, error)
	GOOS        string
	Context     context.Context
}

// System returns the Env of the running process.
func System() Env {
	return Env{
		IO:          cmdutil.SystemIO(),
		Getenv:      os.Getenv,
		Now:         time.Now,
		UserHomeDir: os.UserHomeDir,
		GOOS:        runtime.GOOS,
		Context:     context.Background(),
	}
}

// Factory hands commands their dependencies. The func fields are lazy
// constructors: nothing is opened until a command calls one, and tests may
// replace any of them.
type Factory struct {
	IOStreams *IOStreams
	Getenv    func(string) string
	Now       func() time.Time

	// DataDir returns hubauth's data directory (see DataDir), creating it
	// with mode 0700 if needed.
	DataDir func() (string, error)
	// ResolveDB chooses the database: the --db value if not empty, else
	// HUBAUTH_DB, else the SQLite file hubauth.db in DataDir.
	ResolveDB func(dbFlag string) (DBSpec, error)
	// OpenStore opens the database ResolveDB chooses for dbFlag. The caller
	// closes it.
	OpenStore func(ctx context.Context, dbFlag string) (storage.Storage, error)
	// HashPassword hashes a password for storage (argon2id).
	HashPassword func(ctx context.Context, pw string) (string, error)

	// GOOS is the operating system, as runtime.GOOS names it.
	GOOS string
	// Client returns the SDK client of the user commands (login, logout,
	// status, token, whoami, api) for opts, configured from the
	// environment: see ClientOptions and client_factory.go.
	Client func(opts ClientOptions) (*client.Client, error)
	// OpenBrowser opens a URL in the user's browser: the command in
	// $BROWSER, else the system's opener. It may not return before the
	// browser is closed.
	OpenBrowser func(url string) error
	// ReadSecret prompts on standard error and reads a line from the
	// terminal without echoing it (a password or token).
	ReadSecret func(ctx context.Context, prompt string) (string, error)
	// sessionDir is the directory of tokens.json, not created.
	sessionDir func() (string, error)
}

// NewFactory returns the Factory for env.
func NewFactory(env Env) *Factory {
	env = env.withDefaults()
	f := &Factory{IOStreams: env.IO, Getenv: env.Getenv, Now: env.Now}
	f.DataDir = func() (string, error) {
		dir, err := DataDir(env.Getenv, env.GOOS, env.UserHomeDir)
		if err != nil {
			return "", err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", fmt.Errorf("create data directory: %w", err)
		}
		return dir, nil
	}
	f.ResolveDB = func(dbFlag string) (DBSpec, error) {
		return resolveDB(dbFlag, env.Getenv, f.DataDir)
	}
	f.OpenStore = func(ctx context.Context, dbFlag string) (storage.Storage, error) {
		spec, err := f.ResolveDB(dbFlag)
		if err != nil {
			return nil, err
		}
		return OpenDB(ctx, spec)
	}
	f.HashPassword = hashPassword
	f.initClient(env)
	return f
}

func (e Env) withDefaults() Env {
	if e.IO == nil {
		e.IO, _, _, _ = NewTestIOStreams()
	}
	if e.Getenv == nil {
		e.Getenv = func(string) string { return "" }
	}
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.UserHomeDir == nil {
		e.UserHomeDir = func() (string, error) { return "", fmt.Errorf("no home directory") }
	}
	if e.GOOS == "" {
		e.GOOS = runtime.GOOS
	}
	return e
}

// hashPassword hashes pw with the default argon2id parameters on a
// one-worker hasher.
func hashPassword(ctx context.Context, pw string) (string, error) {
	h := password.NewHasher(password.DefaultParams, 1, 0)
	defer h.Close()
	return h.Hash(ctx, pw)
}

// dbPath is the default SQLite file in the data directory.
func dbPath(dir string) string { return filepath.Join(dir, "hubauth.db") }
