package keys_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/keys"
	"github.com/hubauth/hubauth/internal/storage"
)

const (
	publish = time.Hour
	refresh = time.Minute
)

func newRing(t *testing.T, store storage.SigningKeys, clock *hubtest.Clock) *keys.Keyring {
	t.Helper()
	ring := keys.NewKeyring(store, publish, refresh, clock.Now)
	if err := ring.EnsureActive(t.Context()); err != nil {
		t.Fatalf("EnsureActive: %v", err)
	}
	return ring
}

// rotate stores a new active key as `hubauth admin keys rotate` does.
func rotate(t *testing.T, store storage.SigningKeys, now time.Time) string {
	t.Helper()
	next, err := keys.Generate(now)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.RotateSigningKeys(t.Context(), next); err != nil {
		t.Fatalf("rotate: %v", err)
	}
	return next.ID
}

func signingID(t *testing.T, ring *keys.Keyring) string {
	t.Helper()
	k, err := ring.Signing(t.Context())
	if err != nil {
		t.Fatalf("Signing: %v", err)
	}
	return k.ID
}

func publishedIDs(t *testing.T, ring *keys.Keyring) []string {
	t.Helper()
	list, err := ring.Published(t.Context())
	if err != nil {
		t.Fatalf("Published: %v", err)
	}
	var ids []string
	for _, k := range list {
		ids = append(ids, k.ID)
	}
	return ids
}

func TestEnsureActiveCreatesOneKey(t *testing.T) {
	store, clock := hubtest.SQLite(t), &hubtest.Clock{}
	ring := newRing(t, store, clock)
	if err := ring.EnsureActive(t.Context()); err != nil { // a restart
		t.Fatalf("second EnsureActive: %v", err)
	}
	list, err := store.ListSigningKeys(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || !list[0].RetiredAt.IsZero() || list[0].Algorithm != keys.Algorithm {
		t.Fatalf("keys after two EnsureActive = %+v, want one active %s key", list, keys.Algorithm)
	}
	if got := signingID(t, ring); got != list[0].ID {
		t.Errorf("signing key = %s, want %s", got, list[0].ID)
	}
}

func TestUnparsableKey(t *testing.T) {
	for _, tc := range []struct{ name, pem string }{
		{"no PEM block", "not a key"},
		{"not PKCS#8", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := hubtest.SQLite(t)
			bad := storage.SigningKey{ID: "bad", Algorithm: keys.Algorithm, PrivatePEM: []byte(tc.pem), CreatedAt: time.Now().UTC()}
			if err := store.RotateSigningKeys(t.Context(), bad); err != nil {
				t.Fatal(err)
			}
			ring := keys.NewKeyring(store, publish, refresh, time.Now)
			if err := ring.EnsureActive(t.Context()); err != nil {
				t.Fatalf("EnsureActive with an active key stored: %v", err)
			}
			if _, err := ring.Signing(t.Context()); err == nil {
				t.Error("Signing with an unparsable active key: no error")
			}
		})
	}
}

func TestRotationSeenWithinRefresh(t *testing.T) {
	store, clock := hubtest.SQLite(t), &hubtest.Clock{}
	ring := newRing(t, store, clock)
	first := signingID(t, ring)

	clock.Advance(time.Second)
	second := rotate(t, store, clock.Now())
	if got := signingID(t, ring); got != first {
		t.Errorf("signing right after another process rotated = %s, want the cached %s until the refresh", got, first)
	}
	clock.Advance(refresh)
	if got := signingID(t, ring); got != second {
		t.Errorf("signing after the refresh = %s, want the new key %s", got, second)
	}
	if diff := cmp.Diff([]string{second, first}, publishedIDs(t, ring)); diff != "" {
		t.Errorf("published after rotation (-want +got):\n%s", diff)
	}

	clock.Advance(publish + time.Second)
	if diff := cmp.Diff([]string{second}, publishedIDs(t, ring)); diff != "" {
		t.Errorf("published once the retired key's tokens expired (-want +got):\n%s", diff)
	}
}

func TestRefreshFromAnotherKeyring(t *testing.T) {
	store, clock := hubtest.SQLite(t), &hubtest.Clock{}
	a := newRing(t, store, clock)
	b := newRing(t, store, clock) // a second node on the same database
	if got, want := signingID(t, b), signingID(t, a); got != want {
		t.Fatalf("two nodes sign with %s and %s, want one key", got, want)
	}
	clock.Advance(time.Second)
	next := rotate(t, store, clock.Now()) // by b's node, or the admin CLI

	// Reload re-reads at most once a second.
	if list, err := a.Reload(t.Context()); err != nil || len(list) != 2 {
		t.Fatalf("Reload a second after the last read = %d keys, %v; want 2", len(list), err)
	}
	rotate(t, store, clock.Now())
	if list, _ := a.Reload(t.Context()); len(list) != 2 {
		t.Errorf("Reload within a second of the last = %d keys, want the cached 2", len(list))
	}
	if got := signingID(t, a); got != next {
		t.Errorf("a signs with %s after Reload, want %s", got, next)
	}
}

func TestServesLastKeysWhileStoreAway(t *testing.T) {
	store, clock := hubtest.SQLite(t), &hubtest.Clock{}
	ring := newRing(t, store, clock)
	want := signingID(t, ring)
	store.Close()
	clock.Advance(2 * refresh)
	if got := signingID(t, ring); got != want {
		t.Errorf("signing with the database away = %s, want the last good %s", got, want)
	}

	fresh := keys.NewKeyring(store, publish, refresh, clock.Now)
	if _, err := fresh.Signing(t.Context()); err == nil {
		t.Error("a keyring that never read its keys: Signing gave no error with the database away")
	}
}

func TestNoActiveKey(t *testing.T) {
	ring := keys.NewKeyring(hubtest.SQLite(t), publish, refresh, time.Now)
	_, err := ring.Published(t.Context())
	if err == nil || !strings.Contains(err.Error(), "no active signing key") {
		t.Fatalf("Published of an empty store = %v, want no active signing key", err)
	}
}
