package keyring_test

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/client/keyring"
	"github.com/hubauth/hubauth/internal/hubtest"
)

// TestSystemSecretService stores, reads, replaces and deletes a secret in
// a real Secret Service (GNOME Keyring on a private D-Bus session bus).
// go-keyring finds the bus in the process's environment, so the test
// sets it and does not run in parallel.
func TestSystemSecretService(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", hubtest.SecretService(t))
	kr := keyring.System()
	const account = "https://hub.example.org default 0123456789abcdef"
	if _, err := kr.Get(client.KeyringService, account); !errors.Is(err, client.ErrNotInKeyring) {
		t.Fatalf("Get of a missing entry = %v, want ErrNotInKeyring", err)
	}
	for _, secret := range []string{"first-refresh-token", "rotated-refresh-token"} {
		if err := kr.Set(client.KeyringService, account, secret); err != nil {
			t.Fatalf("Set: %v", err)
		}
		if got, err := kr.Get(client.KeyringService, account); err != nil || got != secret {
			t.Fatalf("Get = %q, %v; want %q", got, err, secret)
		}
	}
	if err := kr.Delete(client.KeyringService, account); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := kr.Delete(client.KeyringService, account); !errors.Is(err, client.ErrNotInKeyring) {
		t.Errorf("Delete of a missing entry = %v, want ErrNotInKeyring", err)
	}
	if _, err := kr.Get(client.KeyringService, account); !errors.Is(err, client.ErrNotInKeyring) {
		t.Errorf("Get after Delete = %v, want ErrNotInKeyring", err)
	}
}

// TestSystemWithoutBus: without a session bus, the keyring fails at once
// instead of starting one (and a locked keyring daemon) with dbus-launch.
func TestSystemWithoutBus(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("the Keychain and the Credential Manager need no D-Bus")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	_, err := keyring.System().Get(client.KeyringService, "anyone")
	if err == nil || errors.Is(err, client.ErrNotInKeyring) || !strings.Contains(err.Error(), "no D-Bus session bus") {
		t.Errorf("Get without a bus = %v, want the no-bus error", err)
	}
}
