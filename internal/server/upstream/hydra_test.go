package upstream_test

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server/upstream"
	"github.com/hubauth/hubauth/internal/storage"
)

// Ory Hydra, an OpenID Certified provider, run as a program: the test
// builds it once from the separate module in testdata/hydra (so that
// hubauth's go.mod stays free of it) into the user's cache directory, and
// starts it with an in-memory database and a login and consent app of the
// test's own, which accepts or rejects Hydra's challenges through its
// admin API as a real login app does.

const hydraVersion = "v2.3.0"

var hydraBuild struct {
	once sync.Once
	err  error
}

// hydraBinary returns the path of the Hydra program in the user's cache
// directory, building it at the first call of the process when the cache
// does not hold it yet (not with -short: the first build takes minutes);
// the test is skipped when it cannot be built (no Go toolchain, no C
// compiler, no module proxy).
func hydraBinary(t *testing.T) string {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Skipf("Ory Hydra %s is built into the user's cache directory, and there is none: %v", hydraVersion, err)
	}
	bin := filepath.Join(cache, "hubauth-test", "hydra-"+hydraVersion)
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	if testing.Short() {
		t.Skipf("Ory Hydra %s is not built yet (%s); run once without -short to build it", hydraVersion, bin)
	}
	hydraBuild.once.Do(func() { hydraBuild.err = buildHydra(bin) })
	if hydraBuild.err != nil {
		t.Skipf("Ory Hydra %s is needed and could not be built; it needs, once, the Go toolchain, a C compiler (cgo, for SQLite) and the module proxy or a filled module cache: %v",
			hydraVersion, hydraBuild.err)
	}
	return bin
}

// buildHydra builds Hydra as bin from the module in testdata/hydra,
// through a temporary name so that a parallel test process never runs half
// a file.
func buildHydra(bin string) error {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("no go command: %w", err)
	}
	mod, err := filepath.Abs(filepath.Join("testdata", "hydra"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return err
	}
	tmp := bin + ".build-" + strconv.Itoa(os.Getpid())
	defer os.Remove(tmp)
	// The in-memory database is SQLite, which Hydra only has with the tag
	// (and cgo: mattn/go-sqlite3).
	cmd := exec.Command(goCmd, "build", "-tags", "sqlite,sqlite_omit_load_extension", "-o", tmp, "github.com/ory/hydra/v2")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOWORK=off", "CGO_ENABLED=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build in %s: %w\n%s", mod, err, tail(out, 2000))
	}
	return os.Rename(tmp, bin)
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// hydra is a running Hydra: its issuer (the public port) and admin API.
type hydra struct {
	Issuer, Admin string
}

// startHydra runs Hydra in development mode (plain HTTP on 127.0.0.1)
// with an in-memory database, sending logins and consents to app, and
// stops it at the end of the test.
func startHydra(t *testing.T, app *hydraApp) *hydra {
	t.Helper()
	bin := hydraBinary(t)
	public, admin := freePort(t), freePort(t)
	h := &hydra{Issuer: "http://127.0.0.1:" + public, Admin: "http://127.0.0.1:" + admin}
	cmd := exec.Command(bin, "serve", "all", "--dev", "--sqa-opt-out")
	cmd.Env = append(os.Environ(),
		"DSN=memory", "LOG_LEVEL=warn", "SECRETS_SYSTEM="+randomString(),
		"SERVE_PUBLIC_HOST=127.0.0.1", "SERVE_PUBLIC_PORT="+public,
		"SERVE_ADMIN_HOST=127.0.0.1", "SERVE_ADMIN_PORT="+admin,
		"URLS_SELF_ISSUER="+h.Issuer, "URLS_LOGIN="+app.URL+"/login", "URLS_CONSENT="+app.URL+"/consent")
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start hydra: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("hydra's output:\n%s", out.String())
		}
	})
	app.admin = h.Admin
	waitReady(t, h, exited, &out)
	return h
}

// waitReady polls Hydra's health endpoints until both ports answer.
func waitReady(t *testing.T, h *hydra, exited <-chan error, out *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for _, u := range []string{h.Admin + "/health/ready", h.Issuer + "/health/ready"} {
		for {
			resp, err := http.Get(u)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			select {
			case err := <-exited:
				t.Fatalf("hydra exited: %v\n%s", err, out.String())
			case <-time.After(50 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("hydra not ready at %s: %v\n%s", u, err, out.String())
			}
		}
	}
}

// addClient registers the hub at Hydra as a confidential client with the
// redirect URI callback and returns its ID and secret.
func (h *hydra) addClient(t *testing.T, callback string) (id, secret string) {
	t.Helper()
	in := map[string]any{"client_name": "hub", "client_secret": "hydra-" + randomString(),
		"redirect_uris": []string{callback}, "grant_types": []string{"authorization_code"},
		"response_types": []string{"code"}, "scope": "openid profile email",
		"token_endpoint_auth_method": "client_secret_basic"}
	var c struct {
		ID     string `json:"client_id"`
		Secret string `json:"client_secret"`
	}
	if err := hydraCall(http.MethodPost, h.Admin+"/admin/clients", "", "", in, &c); err != nil || c.ID == "" || c.Secret != in["client_secret"] {
		t.Fatalf("create client: %v (client %q)", err, c.ID)
	}
	return c.ID, c.Secret
}

// freePort returns a port of 127.0.0.1 nobody listens on now.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// syncBuffer collects a process's output from its copying goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestOryHydra(t *testing.T) {
	app := newHydraApp(t)
	h := startHydra(t, app)
	rg := newRig(t)
	id, secret := h.addClient(t, rg.callbackURL("hydra"))
	rg.addProvider(storage.IdentityProvider{Name: "hydra", Issuer: h.Issuer, ClientID: id, ClientSecret: secret})
	grace := hydraUser{Subject: "hy-7f3a", Username: "ghopper", Name: "Grace Hopper", Email: "grace@example.org", Verified: true}

	t.Run("sign in", func(t *testing.T) {
		app.set(grace, false)
		res := rg.signIn(newBrowser(t), "hydra", nil)
		wantErr(t, res.Err, nil)
		if res.ID.Subject != grace.Subject || res.ID.Username != "ghopper" || res.ID.Name != grace.Name ||
			res.ID.Email != grace.Email || !res.ID.EmailVerified {
			t.Fatalf("identity = %+v", res.ID)
		}
		if res.User.Username != "ghopper" || res.User.Email != grace.Email || res.User.Name != grace.Name {
			t.Fatalf("user = %+v", res.User)
		}
		// Hydra asks its login app again (it was told not to remember):
		// the same identity, the same user.
		again := rg.signIn(newBrowser(t), "hydra", nil)
		if again.Err != nil || again.User.ID != res.User.ID {
			t.Fatalf("second sign-in: %v, user %s, want %s", again.Err, again.User.ID, res.User.ID)
		}
	})
	t.Run("denied at consent", func(t *testing.T) {
		app.set(hydraUser{Subject: "hy-other", Username: "other"}, true)
		res := rg.signIn(newBrowser(t), "hydra", nil)
		wantErr(t, res.Err, upstream.ErrCancelled)
		if got, want := rg.lastAudit(storage.AuditUpstreamFailed), "provider hydra: cancelled at the upstream (access_denied)"; got != want {
			t.Fatalf("audit = %q, want %q", got, want)
		}
		if _, err := rg.Store.GetUserByUsername(t.Context(), "other"); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("user of a denied sign-in: %v, want not found", err)
		}
	})
}
