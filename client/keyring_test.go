package client_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/client/internal/store"
)

// memKeyring is a keyring in memory, standing in for the operating
// system's (client/keyring's tests use a real Secret Service). With
// block set, each call waits until block is closed, as a Secret Service
// that never answers does.
type memKeyring struct {
	mu      sync.Mutex
	entries map[string]string // account → secret
	fail    error             // returned by every call when set
	block   chan struct{}
	calls   []string // "get account", "set account", …, in order of start
}

func newMemKeyring() *memKeyring { return &memKeyring{entries: map[string]string{}} }

func (k *memKeyring) start(op, service, account string) error {
	k.mu.Lock()
	k.calls = append(k.calls, op+" "+account)
	block, fail := k.block, k.fail
	k.mu.Unlock()
	if block != nil {
		<-block
	}
	if service != client.KeyringService {
		return errors.New("wrong service " + service)
	}
	return fail
}

func (k *memKeyring) Get(service, account string) (string, error) {
	if err := k.start("get", service, account); err != nil {
		return "", err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	s, ok := k.entries[account]
	if !ok {
		return "", client.ErrNotInKeyring
	}
	return s, nil
}

func (k *memKeyring) Set(service, account, secret string) error {
	if err := k.start("set", service, account); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.entries[account] = secret
	return nil
}

func (k *memKeyring) Delete(service, account string) error {
	if err := k.start("delete", service, account); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.entries[account]; !ok {
		return client.ErrNotInKeyring
	}
	delete(k.entries, account)
	return nil
}

// secret returns the entry of account.
func (k *memKeyring) secret(account string) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	s, ok := k.entries[account]
	return s, ok
}

// callsOf returns the calls started so far whose operation is op.
func (k *memKeyring) callsOf(op string) []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var list []string
	for _, c := range k.calls {
		if strings.HasPrefix(c, op+" ") {
			list = append(list, c)
		}
	}
	return list
}

// inKeyring configures a Client to keep its refresh token in k.
func inKeyring(k client.Keyring) func(*client.Config) {
	return func(cfg *client.Config) { cfg.Store, cfg.Keyring = client.StoreKeyring, k }
}

// expire makes the stored access token stale, so that Token refreshes.
func expire(t *testing.T, dir string, h *hub) {
	t.Helper()
	editStored(t, dir, h, func(s *store.Session) { s.Expiry = time.Now().Add(-time.Minute) })
}

func TestKeyringKeepsTheRefreshToken(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	k := newMemKeyring()
	_, dir := loggedIn(t, h, inKeyring(k))
	first, _ := stored(t, dir, h)
	rt, ok := k.secret(first.Keyring)
	if first.RefreshToken != "" || first.Keyring == "" || !ok || rt == "" {
		t.Fatalf("stored %+v, keyring entry %q %v: want the refresh token in the keyring alone", first, rt, ok)
	}

	// Another process, without Store: the session stays in the keyring,
	// and its rotated refresh token replaces the old one there.
	expire(t, dir, h)
	c := newClient(t, h, dir, func(cfg *client.Config) { cfg.Keyring = k })
	if info, _ := c.Session(); !info.Refreshable {
		t.Error("Session().Refreshable = false for a refresh token in the keyring")
	}
	if _, err := c.Token(context.Background()); err != nil {
		t.Fatalf("Token: %v", err)
	}
	second, _ := stored(t, dir, h)
	rotated, _ := k.secret(second.Keyring)
	if second.RefreshToken != "" || second.Keyring != first.Keyring || rotated == rt || rotated == "" {
		t.Fatalf("after refresh: stored %+v, entry %q (was %q): want the rotated token in the same entry", second, rotated, rt)
	}
	if h.refreshes.Load() != 1 {
		t.Errorf("%d refreshes, want 1", h.refreshes.Load())
	}
	if code := h.refreshWith(t, rotated); code != "" {
		t.Errorf("the keyring's token was refused: %s", code)
	}

	if err := c.Logout(context.Background()); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if _, ok := k.secret(first.Keyring); ok {
		t.Error("Logout left the keyring entry")
	}
}

// TestKeyringRefreshOnce: 8 Clients with stores of their own (as 8
// processes would have) share a session whose refresh token is in the
// keyring; the sessions file's lock serializes them, so the hub sees one
// refresh and the keyring ends with the token it issued.
func TestKeyringRefreshOnce(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	k := newMemKeyring()
	_, dir := loggedIn(t, h, inKeyring(k))
	expire(t, dir, h)
	var wg sync.WaitGroup
	tokens := make([]string, 8)
	for i := range tokens {
		c := newClient(t, h, dir, func(cfg *client.Config) { cfg.Keyring = k })
		wg.Go(func() {
			tok, err := c.Token(context.Background())
			if err != nil {
				t.Errorf("Token: %v", err)
				return
			}
			tokens[i] = tok.AccessToken
		})
	}
	wg.Wait()
	if got := h.refreshes.Load(); got != 1 {
		t.Errorf("%d refreshes at the hub, want 1", got)
	}
	s, _ := stored(t, dir, h)
	for i, tok := range tokens {
		if tok != s.AccessToken {
			t.Errorf("client %d got another token than the stored one", i)
		}
	}
	rt, _ := k.secret(s.Keyring)
	if code := h.refreshWith(t, rt); code != "" {
		t.Errorf("the keyring's refresh token was refused: %s", code)
	}
}

func TestKeyringEntryLost(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	k := newMemKeyring()
	c, dir := loggedIn(t, h, inKeyring(k))
	ctx := context.Background()
	deleteEntry := func() {
		t.Helper()
		s, _ := stored(t, dir, h)
		if err := k.Delete(client.KeyringService, s.Keyring); err != nil {
			t.Fatal(err)
		}
	}

	// A live session whose entry is gone is replaced without Force.
	deleteEntry()
	if err := c.LoginPassword(ctx, demoUser, demoPassword, client.PasswordOptions{}); err != nil {
		t.Fatalf("LoginPassword over a lost session: %v", err)
	}

	// Its refresh fails as lost, and marks the session expired.
	deleteEntry()
	expire(t, dir, h)
	c = newClient(t, h, dir, inKeyring(k))
	_, err := c.Token(ctx)
	if !errors.Is(err, client.ErrSessionLost) || !errors.Is(err, client.ErrSessionExpired) {
		t.Fatalf("Token = %v, want ErrSessionLost matching ErrSessionExpired", err)
	}
	if s, _ := stored(t, dir, h); !s.Expired || s.Keyring != "" {
		t.Errorf("stored %+v: want it marked expired, without its keyring entry", s)
	}
	if err := c.LoginPassword(ctx, demoUser, demoPassword, client.PasswordOptions{}); err != nil {
		t.Fatalf("LoginPassword after a lost session: %v", err)
	}
	if _, err := c.Token(ctx); err != nil {
		t.Errorf("Token after a new login: %v", err)
	}
}

func TestKeyringFailureFallsBackToTheFile(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	k := newMemKeyring()
	k.fail = errors.New("org.freedesktop.DBus.Error.ServiceUnknown: no secrets service")
	var warnings []string
	_, dir := loggedIn(t, h, inKeyring(k), func(cfg *client.Config) {
		cfg.Warn = func(msg string) { warnings = append(warnings, msg) }
	})
	s, _ := stored(t, dir, h)
	if s.RefreshToken == "" || s.Keyring != "" {
		t.Errorf("stored %+v: want the refresh token in the file", s)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "keyring is not available") || !strings.Contains(warnings[0], "tokens.json") {
		t.Errorf("warnings = %q, want one saying the keyring is not available and the token is in tokens.json", warnings)
	}
	if sets := k.callsOf("set"); len(sets) != 0 {
		t.Errorf("keyring writes %q after a failed probe, want none", sets)
	}
}

// TestKeyringHangs: a keyring that never answers costs one timeout, then
// the refresh token goes to the file, and the hung call cannot write it
// to the keyring later.
func TestKeyringHangs(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	k := newMemKeyring()
	k.block = make(chan struct{})
	var warnings []string
	done := make(chan string)
	go func() {
		_, dir := loggedIn(t, h, inKeyring(k), func(cfg *client.Config) {
			cfg.Warn = func(msg string) { warnings = append(warnings, msg) }
		})
		done <- dir
	}()
	var dir string
	select {
	case dir = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the login hung on the keyring")
	}
	close(k.block) // the hung call answers now, too late
	s, _ := stored(t, dir, h)
	if s.RefreshToken == "" || s.Keyring != "" {
		t.Errorf("stored %+v: want the refresh token in the file", s)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "no answer within") {
		t.Errorf("warnings = %q, want one about the keyring not answering", warnings)
	}
	if sets := k.callsOf("set"); len(sets) != 0 {
		t.Errorf("keyring writes %q, want none: only the probe may hang", sets)
	}
}

func TestStoreFileMovesTheTokenBack(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	k := newMemKeyring()
	_, dir := loggedIn(t, h, inKeyring(k))
	before, _ := stored(t, dir, h)
	expire(t, dir, h)
	c := newClient(t, h, dir, func(cfg *client.Config) { cfg.Store, cfg.Keyring = client.StoreFile, k })
	if _, err := c.Token(context.Background()); err != nil {
		t.Fatalf("Token: %v", err)
	}
	after, _ := stored(t, dir, h)
	if after.RefreshToken == "" || after.Keyring != "" {
		t.Errorf("stored %+v: want the refresh token back in the file", after)
	}
	if _, ok := k.secret(before.Keyring); ok {
		t.Error("the keyring entry was left behind")
	}
}

func TestUnknownStore(t *testing.T) {
	t.Parallel()
	_, err := client.New(context.Background(), client.Config{Server: "https://hub.example.org", DataDir: t.TempDir(), Store: "vault"})
	if err == nil || !strings.Contains(err.Error(), `unknown store "vault"`) {
		t.Errorf("New = %v, want an unknown store error", err)
	}
}
