package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

// testNow is the pinned clock of every test hub.
var testNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// testHub runs hubauth commands against a fresh data directory, so that
// admin commands use a real SQLite database of their own.
type testHub struct {
	t   *testing.T
	dir string
	env map[string]string
	now time.Time // the clock of the commands run
}

func newTestHub(t *testing.T) *testHub {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	return &testHub{t: t, dir: dir, env: map[string]string{"HUBAUTH_DATA_DIR": dir}, now: testNow}
}

// result is what one run of Main left behind.
type result struct {
	code           int
	stdout, stderr string
}

// run runs hubauth args with stdin as standard input.
func (h *testHub) run(stdin string, args ...string) result {
	h.t.Helper()
	return h.runIO(func(*IOStreams) {}, stdin, args...)
}

// runIO is run with a hook to adjust the IOStreams (e.g. to fake a TTY).
func (h *testHub) runIO(adjust func(*IOStreams), stdin string, args ...string) result {
	h.t.Helper()
	ios, in, out, errOut := NewTestIOStreams()
	in.WriteString(stdin)
	adjust(ios)
	env := Env{
		IO:      ios,
		Getenv:  func(k string) string { return h.env[k] },
		Now:     func() time.Time { return h.now },
		Context: h.t.Context(),
	}
	code := Main(args, env)
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// mustRun runs hubauth and fails the test unless it succeeds; it returns
// standard output.
func (h *testHub) mustRun(stdin string, args ...string) string {
	h.t.Helper()
	r := h.run(stdin, args...)
	if r.code != ExitOK {
		h.t.Fatalf("hubauth %s: exit %d, stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// store opens the hub's database as a server would, alongside the commands.
func (h *testHub) store() storage.Storage {
	h.t.Helper()
	if err := os.MkdirAll(h.dir, 0o700); err != nil {
		h.t.Fatal(err)
	}
	s, err := sqlite.Open(h.t.Context(), dbPath(h.dir))
	if err != nil {
		h.t.Fatalf("open store: %v", err)
	}
	h.t.Cleanup(func() { s.Close() })
	return s
}

// wantFailure checks a failed run's exit code and its one-line error.
func wantFailure(t *testing.T, r result, code int, msg string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code = %d, want %d (stderr: %q)", r.code, code, r.stderr)
	}
	first, _, _ := strings.Cut(r.stderr, "\n")
	if !strings.HasPrefix(first, "hubauth: ") || !strings.Contains(first, msg) {
		t.Errorf("first stderr line = %q, want \"hubauth: …%s…\"", first, msg)
	}
}

// lastAudit returns the newest audit event.
func lastAudit(t *testing.T, s storage.Storage) storage.AuditEvent {
	t.Helper()
	events, err := s.ListAudit(context.Background(), 1)
	if err != nil || len(events) != 1 {
		t.Fatalf("ListAudit = %v, %v; want one event", events, err)
	}
	return events[0]
}
