package cli

import (
	"context"
	"io"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server"
)

const (
	demoUser     = "ada"
	demoPassword = "correct horse battery staple"
)

// userHub is the shared test hub (internal/hubtest) with demoUser, and
// the environment of the user commands run against it: an isolated data
// directory, no HUBAUTH_SERVER, a clock of their own.
type userHub struct {
	*hubtest.Hub // URL, Store, DB (for admin commands' --db), Clock (the server's)
	t            testing.TB
	CLIClock     *hubtest.Clock // the commands'
	DataDir      string
	Env          map[string]string
}

// newUserHub starts a hub with demoUser; opts change its configuration.
func newUserHub(t testing.TB, opts ...func(*server.Config)) *userHub {
	t.Helper()
	h := &userHub{t: t, CLIClock: &hubtest.Clock{}, DataDir: filepath.Join(t.TempDir(), "data"),
		Hub: hubtest.New(t, hubtest.WithConfig(opts...), hubtest.WithUser(demoUser, demoPassword))}
	h.Env = map[string]string{"HUBAUTH_DATA_DIR": h.DataDir}
	return h
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
