package keys

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// Key is a parsed signing key.
type Key struct {
	ID        string
	Private   *ecdsa.PrivateKey
	CreatedAt time.Time
	RetiredAt time.Time
}

type snapshot struct {
	loadedAt  time.Time
	signing   *Key
	published []*Key
	ids       []string
}

// Keyring caches the signing keys of a store and reloads them every Refresh,
// so a key rotated by another process (or `hubauth admin keys rotate`) is
// used and published within Refresh.
type Keyring struct {
	store storage.SigningKeys
	// Publish is how long a retired key stays published: the longest
	// lifetime of a token it may have signed.
	publish time.Duration
	refresh time.Duration
	now     func() time.Time

	mu   sync.Mutex // serializes reloads
	snap atomic.Pointer[snapshot]
}

// NewKeyring returns a keyring over store. publish is how long retired keys
// stay published; refresh how often the store is re-read.
func NewKeyring(store storage.SigningKeys, publish, refresh time.Duration, now func() time.Time) *Keyring {
	return &Keyring{store: store, publish: publish, refresh: refresh, now: now}
}

// EnsureActive creates a key when the store has no active one (first start).
func (k *Keyring) EnsureActive(ctx context.Context) error {
	list, err := k.store.ListSigningKeys(ctx)
	if err != nil {
		return fmt.Errorf("keys: list: %w", err)
	}
	for _, key := range list {
		if key.RetiredAt.IsZero() {
			return nil
		}
	}
	next, err := Generate(k.now())
	if err != nil {
		return err
	}
	return k.store.RotateSigningKeys(ctx, next)
}

// Signing returns the key that signs new tokens.
func (k *Keyring) Signing(ctx context.Context) (*Key, error) {
	s, err := k.current(ctx)
	if err != nil {
		return nil, err
	}
	return s.signing, nil
}

// Published returns every key whose tokens may still be valid.
func (k *Keyring) Published(ctx context.Context) ([]*Key, error) {
	s, err := k.current(ctx)
	if err != nil {
		return nil, err
	}
	return s.published, nil
}

func (k *Keyring) current(ctx context.Context) (*snapshot, error) {
	return k.loadedWithin(ctx, k.refresh)
}

// minReload bounds how often a token naming an unknown key can make the
// keyring re-read the store.
const minReload = time.Second

// Reload re-reads the keys unless they were read within the last second:
// a token signed by a key another node has just created should verify
// here without waiting for the periodic refresh.
func (k *Keyring) Reload(ctx context.Context) ([]*Key, error) {
	s, err := k.loadedWithin(ctx, minReload)
	if err != nil {
		return nil, err
	}
	return s.published, nil
}

// loadedWithin returns a snapshot no older than maxAge, reloading if needed.
func (k *Keyring) loadedWithin(ctx context.Context, maxAge time.Duration) (*snapshot, error) {
	now := k.now()
	if s := k.snap.Load(); s != nil && now.Sub(s.loadedAt) < maxAge {
		return s, nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if s := k.snap.Load(); s != nil && now.Sub(s.loadedAt) < maxAge {
		return s, nil
	}
	s, err := k.load(ctx, now)
	if err != nil {
		if old := k.snap.Load(); old != nil {
			return old, nil // keep serving the last good keys while the database is away
		}
		return nil, err
	}
	k.snap.Store(s)
	return s, nil
}

func (k *Keyring) load(ctx context.Context, now time.Time) (*snapshot, error) {
	list, err := k.store.ListSigningKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("keys: list: %w", err)
	}
	s := &snapshot{loadedAt: now}
	old := k.snap.Load()
	for _, stored := range list {
		if !stored.RetiredAt.IsZero() && now.Sub(stored.RetiredAt) > k.publish {
			continue
		}
		key, err := k.parsed(old, stored)
		if err != nil {
			return nil, err
		}
		if s.signing == nil && stored.RetiredAt.IsZero() {
			s.signing = key
		}
		s.published = append(s.published, key)
		s.ids = append(s.ids, key.ID)
	}
	if s.signing == nil {
		return nil, fmt.Errorf("keys: no active signing key")
	}
	return s, nil
}

// parsed reuses the parsed key from the previous snapshot when it has one.
func (k *Keyring) parsed(old *snapshot, stored storage.SigningKey) (*Key, error) {
	if old != nil {
		if i := slices.Index(old.ids, stored.ID); i >= 0 {
			key := *old.published[i]
			key.RetiredAt = stored.RetiredAt
			return &key, nil
		}
	}
	priv, err := parse(stored)
	if err != nil {
		return nil, err
	}
	return &Key{ID: stored.ID, Private: priv, CreatedAt: stored.CreatedAt, RetiredAt: stored.RetiredAt}, nil
}
