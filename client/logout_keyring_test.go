package client_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/client"
)

// lock makes every call of k fail, as a locked keyring's do.
func (k *memKeyring) lock(err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.fail = err
}

// TestLogoutWithTheKeyringLocked: a logout that cannot read the refresh
// token from the keyring must not leave it valid at the hub with no
// session file naming it. While the access token is valid the hub's
// sessions API ends the login; else the session is kept and the error
// asks to log out again once the keyring is unlocked.
func TestLogoutWithTheKeyringLocked(t *testing.T) {
	t.Parallel()
	locked := errors.New("org.freedesktop.Secret.Error.IsLocked: the collection is locked")
	for _, tc := range []struct {
		name    string
		expired bool
	}{
		{"access token valid: ended at the hub", false},
		{"access token expired: the session is kept", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHub(t)
			k := newMemKeyring()
			_, dir := loggedIn(t, h, inKeyring(k))
			s, _ := stored(t, dir, h)
			rt, ok := k.secret(s.Keyring)
			if !ok || s.RefreshToken != "" {
				t.Fatalf("stored %+v: want the refresh token in the keyring", s)
			}
			if tc.expired {
				expire(t, dir, h)
			}
			k.lock(locked)
			var warnings []string
			c := newClient(t, h, dir, inKeyring(k), func(cfg *client.Config) {
				cfg.Warn = func(msg string) { warnings = append(warnings, msg) }
			})
			err := c.Logout(context.Background())
			_, kept := stored(t, dir, h)
			if !tc.expired {
				if err != nil || kept {
					t.Fatalf("Logout = %v, session kept %v: want it ended at the hub and deleted", err, kept)
				}
				if code := h.refreshWith(t, rt); code != "invalid_grant" {
					t.Fatalf("refresh after logout = %q, want invalid_grant", code)
				}
				if len(warnings) != 1 || !strings.Contains(warnings[0], s.Keyring) {
					t.Errorf("warnings %q, want one naming the keyring entry left behind", warnings)
				}
				return
			}
			if !errors.Is(err, client.ErrKeyringUnavailable) || errors.Is(err, client.ErrServerNotTold) || !kept ||
				!strings.Contains(err.Error(), "log out again once the keyring is unlocked") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("Logout = %v, session kept %v: want ErrKeyringUnavailable on one line asking to retry, the session kept", err, kept)
			}
			if strings.Contains(err.Error(), rt) || strings.Contains(err.Error(), s.AccessToken) {
				t.Fatal("the error shows a token")
			}
			k.lock(nil)
			if err := newClient(t, h, dir, inKeyring(k)).Logout(context.Background()); err != nil {
				t.Fatalf("Logout once unlocked: %v", err)
			}
			if code := h.refreshWith(t, rt); code != "invalid_grant" {
				t.Fatalf("refresh after logout = %q, want invalid_grant", code)
			}
		})
	}
}
