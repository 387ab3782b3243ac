package cli

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/password"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

const (
	demoUser     = "ada"
	demoPassword = "correct horse battery staple"
)

// userHub is a real hubauth server on 127.0.0.1 over SQLite in
// t.TempDir(), as internal/server's tests start it, and the environment
// of the user commands run against it: an isolated data directory, no
// HUBAUTH_SERVER, a clock of their own.
type userHub struct {
	t        testing.TB
	URL      string
	Store    storage.Storage
	DB       string         // the SQLite file, for admin commands (--db)
	HubClock *hubtest.Clock // the server's
	CLIClock *hubtest.Clock // the commands'
	DataDir  string
	Env      map[string]string
	ts       *httptest.Server
}

func newUserHub(t testing.TB, opts ...func(*server.Config)) *userHub {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "hub.db")
	store, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	ts := httptest.NewUnstartedServer(nil)
	h := &userHub{t: t, URL: "http://" + ts.Listener.Addr().String(), Store: store, DB: db,
		HubClock: &hubtest.Clock{}, CLIClock: &hubtest.Clock{}, ts: ts}
	h.DataDir = filepath.Join(t.TempDir(), "data")
	h.Env = map[string]string{"HUBAUTH_DATA_DIR": h.DataDir}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	slog.SetDefault(logger) // the OIDC library logs through the default logger
	cfg := server.Config{Issuer: h.URL, Store: store, Now: h.HubClock.Now,
		NomadGetToken: true, Logger: logger, PasswordParams: password.TestParams}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := server.New(ctx, cfg)
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(func() { ts.Close(); srv.Close() })
	h.addUser(demoUser, demoPassword)
	return h
}

// Close stops the hub: it can no longer be reached.
func (h *userHub) Close() { h.ts.Close() }

// addUser creates a user with a password.
func (h *userHub) addUser(username, pw string) {
	h.t.Helper()
	hasher := password.NewHasher(password.TestParams, 1, 0)
	defer hasher.Close()
	hash, err := hasher.Hash(context.Background(), pw)
	if err != nil {
		h.t.Fatal(err)
	}
	u := storage.User{ID: secret.ID(), Username: username, Name: strings.ToUpper(username[:1]) + username[1:],
		Email: username + "@example.org", PasswordHash: hash, CreatedAt: time.Now().UTC()}
	if err := h.Store.CreateUser(context.Background(), u); err != nil {
		h.t.Fatal(err)
	}
}

// cmd is one run of hubauth to make: its arguments and what to change.
type cmd struct {
	args  []string
	stdin string
	env   map[string]string         // added to the hub's environment
	io    func(*IOStreams)          // e.g. to fake a terminal
	f     func(*Factory)            // e.g. to replace the browser
	ctx   context.Context           // default: the test's
	errW  func(io.Writer) io.Writer // wraps standard error, e.g. to watch it
}

// exec runs c through the root command with a Factory the test may
// change; without c.f it is exactly Main.
func (h *userHub) exec(c cmd) result {
	h.t.Helper()
	ios, in, out, errOut := NewTestIOStreams()
	in.WriteString(c.stdin)
	if c.io != nil {
		c.io(ios)
	}
	var errW io.Writer = errOut
	if c.errW != nil {
		errW = c.errW(errOut)
	}
	ios.ErrOut = &syncWriter{w: errW}
	env := maps.Clone(h.Env)
	maps.Copy(env, c.env)
	ctx := c.ctx
	if ctx == nil {
		ctx = h.t.Context()
	}
	e := Env{IO: ios, Getenv: func(k string) string { return env[k] }, Now: h.CLIClock.Now, GOOS: "linux", Context: ctx}
	var code int
	if c.f == nil {
		code = Main(c.args, e)
	} else {
		code = runWithFactory(e, c.f, c.args)
	}
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// runWithFactory is Main with a hook to change the Factory.
func runWithFactory(env Env, change func(*Factory), args []string) int {
	f := NewFactory(env)
	change(f)
	root := NewCmdRoot(f)
	root.SetArgs(append([]string{}, args...))
	c, err := root.ExecuteContextC(env.Context)
	return exitCode(f.IOStreams.ErrOut, c, err)
}

// run runs hubauth args with stdin.
func (h *userHub) run(stdin string, args ...string) result {
	h.t.Helper()
	return h.exec(cmd{args: args, stdin: stdin})
}

// mustRun runs hubauth and fails the test unless it succeeds; it returns
// standard output.
func (h *userHub) mustRun(stdin string, args ...string) string {
	h.t.Helper()
	r := h.run(stdin, args...)
	if r.code != ExitOK {
		h.t.Fatalf("hubauth %s: exit %d, stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// login logs the demo user in with a password, for the default profile.
func (h *userHub) login(extra ...string) {
	h.t.Helper()
	args := append([]string{"login", "--server", h.URL, "--username", demoUser, "--password-stdin"}, extra...)
	h.mustRun(demoPassword+"\n", args...)
}

// stored returns the session kept for the hub and profile.
func (h *userHub) stored(profile string) (storedSession, bool) {
	h.t.Helper()
	return storedIn(h.t, h.DataDir, h.URL, profile)
}

// syncWriter serializes writes: a device prompt is written while the
// test reads standard error.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
