package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/client/keyring"
	"github.com/hubauth/hubauth/internal/hubtest"
)

// procHub runs hubauth as separate processes (the test binary, which
// TestMain puts in $PATH as hubauth) against a test hub: each process
// finds its D-Bus session bus, as go-keyring does, in its own
// environment.
type procHub struct {
	*userHub
	env []string // the processes' whole environment
}

func newProcHub(t *testing.T, env ...string) *procHub {
	t.Helper()
	if _, err := exec.LookPath("hubauth"); err != nil {
		t.Skipf("hubauth is not in $PATH (TestMain puts the test binary there): %v", err)
	}
	h := newUserHub(t)
	base := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "HUBAUTH_DATA_DIR=" + h.DataDir,
		"XDG_RUNTIME_DIR=" + t.TempDir()} // no user session bus found by accident
	return &procHub{userHub: h, env: append(base, env...)}
}

// run runs hubauth args with stdin and extra environment. A process that
// has not ended after a minute is killed and fails the test: whatever the
// keyring does, hubauth must not hang.
func (h *procHub) run(t *testing.T, stdin string, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "hubauth", args...)
	var out, errOut bytes.Buffer
	cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = append(h.env, env...), strings.NewReader(stdin), &out, &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("hubauth %s hung: killed after a minute; stderr:\n%s", strings.Join(args, " "), errOut.String())
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("hubauth %s: %v", strings.Join(args, " "), err)
	}
	return result{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errOut.String()}
}

// mustRun is run that fails the test unless hubauth succeeds without a
// warning.
func (h *procHub) mustRun(t *testing.T, stdin string, env []string, args ...string) string {
	t.Helper()
	r := h.run(t, stdin, env, args...)
	if r.code != ExitOK || strings.Contains(r.stderr, "warning") {
		t.Fatalf("hubauth %s: exit %d, stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// login logs the demo user in with a password.
func (h *procHub) login(t *testing.T, env []string, extra ...string) result {
	t.Helper()
	return h.run(t, demoPassword+"\n", env, append([]string{"login", "--server", h.URL, "--username", demoUser, "--password-stdin"}, extra...)...)
}

// rawSession returns the default session as tokens.json holds it, every
// field as written.
func (h *procHub) rawSession(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(h.DataDir, "tokens.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Sessions map[string]map[string]map[string]any `json:"sessions"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return f.Sessions[h.URL]["default"]
}

// TestKeyringStore logs in with --store keyring against a real Secret
// Service (GNOME Keyring on a private D-Bus session bus): tokens.json
// holds no refresh token, token works, a refresh rotates the token in the
// keyring, an entry deleted behind hubauth's back means "session lost"
// (exit 4), and logout removes the entry.
func TestKeyringStore(t *testing.T) {
	addr := hubtest.SecretService(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr) // for this test's own look into the keyring
	kr := keyring.System()
	h := newProcHub(t, "DBUS_SESSION_BUS_ADDRESS="+addr)

	if r := h.login(t, nil, "--store", "keyring"); r.code != ExitOK || strings.Contains(r.stderr, "warning") {
		t.Fatalf("login --store keyring: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	sess := h.rawSession(t)
	account, _ := sess["keyring"].(string)
	if _, ok := sess["refresh_token"]; ok || account == "" {
		t.Fatalf("tokens.json holds %v: want a keyring entry and no refresh token", keys(sess))
	}
	first, err := kr.Get(client.KeyringService, account)
	if err != nil || first == "" {
		t.Fatalf("the keyring entry %q: %q, %v", account, first, err)
	}

	var st statusJSON
	mustJSON(t, h.mustRun(t, "", nil, "status", "--json"), &st)
	if st.Keyring != account || !st.Refreshable {
		t.Errorf("status --json: keyring %q, refreshable %v; want %q, true", st.Keyring, st.Refreshable, account)
	}
	if got := strings.TrimSpace(h.mustRun(t, "", nil, "token")); got != sess["access_token"] {
		t.Errorf("token = %q, want the stored access token", got)
	}
	refreshed := strings.TrimSpace(h.mustRun(t, "", nil, "token", "--min-valid", "20m")) // the token lives 15m
	sess = h.rawSession(t)
	rotated, err := kr.Get(client.KeyringService, account)
	switch {
	case refreshed != sess["access_token"]:
		t.Errorf("token --min-valid 20m printed %q, not the stored token", refreshed)
	case sess["keyring"] != account || sess["refresh_token"] != nil:
		t.Errorf("after the refresh tokens.json holds keyring %v and %v", sess["keyring"], keys(sess))
	case err != nil || rotated == first:
		t.Errorf("after the refresh the keyring holds %v (err %v): want the rotated refresh token", rotated != first, err)
	}

	// A keychain that stops answering: the token cannot be read, and
	// hubauth says so rather than hang; the session is left as it was.
	r := h.run(t, "", []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + silentBus(t)}, "token", "--min-valid", "20m")
	wantFailure(t, r, ExitError, "the keyring is not available (no answer within")
	if after := h.rawSession(t); after["keyring"] != account || after["access_token"] != sess["access_token"] {
		t.Errorf("a failed keychain read changed the session: %v", keys(after))
	}

	// The entry deleted behind hubauth's back: the session is lost.
	if err := kr.Delete(client.KeyringService, account); err != nil {
		t.Fatal(err)
	}
	r = h.run(t, "", nil, "token", "--min-valid", "20m")
	wantFailure(t, r, ExitAuthNeeded, "session lost: run hubauth login")

	// A new login (HUBAUTH_STORE this time) replaces it without --force;
	// logout removes its entry.
	if r := h.login(t, []string{"HUBAUTH_STORE=keyring"}); r.code != ExitOK {
		t.Fatalf("login after a lost session: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	account, _ = h.rawSession(t)["keyring"].(string)
	if _, err := kr.Get(client.KeyringService, account); err != nil {
		t.Fatalf("the new login's keyring entry %q: %v", account, err)
	}
	h.mustRun(t, "", nil, "logout")
	if _, err := kr.Get(client.KeyringService, account); !errors.Is(err, client.ErrNotInKeyring) {
		t.Errorf("after logout the keyring entry: %v, want none", err)
	}
}

// TestKeyringUnavailable: a Secret Service that never answers (a socket
// that accepts D-Bus connections and stays silent), one whose keyring is
// locked, or no session bus at all leaves the refresh token in
// tokens.json with one warning, and hubauth goes on working.
func TestKeyringUnavailable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, bus, warning string
	}{
		{"hangs", "DBUS_SESSION_BUS_ADDRESS=unix:path=" + silentBus(t), "the keyring is not available (no answer within"},
		{"missing", "DBUS_SESSION_BUS_ADDRESS=", "no D-Bus session bus"},
	}
	if _, err := exec.LookPath("gnome-keyring-daemon"); err == nil {
		addr := hubtest.SecretService(t)
		hubtest.LockSecretService(t, addr)
		cases = append(cases, struct{ name, bus, warning string }{"locked", "DBUS_SESSION_BUS_ADDRESS=" + addr, "the keyring is not available ("})
	} else {
		t.Log("gnome-keyring-daemon not found: the locked keyring is not tested (apt-get install gnome-keyring dbus)")
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newProcHub(t, tc.bus, "HUBAUTH_STORE=keyring")
			r := h.login(t, nil)
			first, _, _ := strings.Cut(r.stderr, "\n")
			if r.code != ExitOK || !strings.HasPrefix(first, "hubauth: warning: ") || !strings.Contains(first, tc.warning) ||
				!strings.Contains(first, "the refresh token is kept in "+filepath.Join(h.DataDir, "tokens.json")) {
				t.Fatalf("login: exit %d, stderr:\n%s", r.code, r.stderr)
			}
			t.Logf("stderr: %s", first)
			sess := h.rawSession(t)
			if rt, _ := sess["refresh_token"].(string); rt == "" || sess["keyring"] != nil {
				t.Fatalf("tokens.json holds %v: want the refresh token and no keyring entry", keys(sess))
			}
			if r := h.run(t, "", nil, "token", "--min-valid", "20m"); r.code != ExitOK || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("token --min-valid 20m: exit %d, stderr (want one warning):\n%s", r.code, r.stderr)
			}
		})
	}
}

// silentBus listens on a Unix socket, accepts every connection and never
// answers: a D-Bus client waits there forever for its authentication.
func silentBus(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "hubauth-hang") // short: a socket path has at most 107 bytes
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "bus")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		os.RemoveAll(dir)
	})
	return path
}

// keys lists the fields of a stored session, for messages without secrets.
func keys(m map[string]any) []string {
	var list []string
	for k := range m {
		list = append(list, k)
	}
	return list
}
