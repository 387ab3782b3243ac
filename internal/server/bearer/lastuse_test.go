package bearer_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/storage"
)

// countingStore is the real store, counting the last-use writes.
type countingStore struct {
	storage.Storage
	mu      sync.Mutex
	batches [][]storage.TokenUse
}

func (c *countingStore) TouchPersonalTokens(ctx context.Context, uses []storage.TokenUse) error {
	if len(uses) > 0 {
		c.mu.Lock()
		c.batches = append(c.batches, uses)
		c.mu.Unlock()
	}
	return c.Storage.TouchPersonalTokens(ctx, uses)
}

func (c *countingStore) writes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.batches)
}

// newCounted returns a verifier over f's store that counts its writes.
// f's clock stands still but for Advance.
func newCounted(f *fixture) (*bearer.Verifier, *countingStore) {
	if f.clock.Base.IsZero() {
		f.clock.Base = time.Now()
	}
	cs := &countingStore{Storage: f.store}
	return bearer.NewVerifier(issuer, f.ring, cs, f.clock.Now), cs
}

// storedLastUse is token id's LastUsedAt in the database.
func storedLastUse(t *testing.T, f *fixture, id string) time.Time {
	t.Helper()
	pt, err := f.store.GetPersonalToken(t.Context(), userID, id)
	must(t, err)
	return pt.LastUsedAt
}

// TestLastUseCoalesced: a token used from many requests at once, and over
// and over within bearer.LastUseEvery, is written once; the latest use
// reaches the database when the window has passed, and at shutdown.
func TestLastUseCoalesced(t *testing.T) {
	f := newFixture(t)
	v, cs := newCounted(f)
	token, pt := newPersonal(t, f, "laptop", 0)
	verify := func() {
		t.Helper()
		if _, err := v.Verify(t.Context(), token); err != nil {
			t.Fatalf("Verify: %v", err)
		}
	}
	first := f.clock.Now()
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for range 50 {
				if _, err := v.Verify(context.Background(), token); err != nil {
					t.Errorf("Verify: %v", err)
				}
			}
		})
	}
	wg.Wait()
	if got := cs.writes(); got != 1 {
		t.Fatalf("1,600 uses at once: %d writes, want 1", got)
	}
	if got := storedLastUse(t, f, pt.ID); !got.Equal(first) {
		t.Errorf("stored last use %v, want the first use %v (written at once)", got, first)
	}

	f.clock.Advance(30 * time.Second)
	verify()
	latest := f.clock.Now()
	must(t, v.FlushDueUses(t.Context()))
	if got := cs.writes(); got != 1 {
		t.Errorf("a use 30 s later, then a flush within the window: %d writes, want still 1", got)
	}
	f.clock.Advance(bearer.LastUseEvery - 30*time.Second)
	must(t, v.FlushDueUses(t.Context()))
	if got, stored := cs.writes(), storedLastUse(t, f, pt.ID); got != 2 || !stored.Equal(latest) {
		t.Errorf("flush after the window: %d writes, stored %v; want 2 writes and the latest use %v", got, stored, latest)
	}
	must(t, v.FlushDueUses(t.Context()))
	if got := cs.writes(); got != 2 {
		t.Errorf("flush with nothing new: %d writes, want 2", got)
	}

	f.clock.Advance(10 * time.Second)
	verify() // within the window of the flush: held in memory
	latest = f.clock.Now()
	must(t, v.FlushAllUses(t.Context())) // shutdown
	if got, stored := cs.writes(), storedLastUse(t, f, pt.ID); got != 3 || !stored.Equal(latest) {
		t.Errorf("shutdown: %d writes, stored %v; want 3 writes and the latest use %v", got, stored, latest)
	}
}

// TestLastUseBatched: the uses of many tokens go out in one write.
func TestLastUseBatched(t *testing.T) {
	f := newFixture(t)
	v, cs := newCounted(f)
	tokens := make([]string, 5)
	for i := range tokens {
		tokens[i], _ = newPersonal(t, f, "t"+string(rune('a'+i)), 0)
		if _, err := v.Verify(t.Context(), tokens[i]); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Advance(time.Second)
	for _, tok := range tokens {
		if _, err := v.Verify(t.Context(), tok); err != nil {
			t.Fatal(err)
		}
	}
	before := cs.writes()
	must(t, v.FlushAllUses(t.Context()))
	if got := cs.writes() - before; got != 1 || len(cs.batches[before]) != len(tokens) {
		t.Errorf("flush: %d writes, want one of %d uses", got, len(tokens))
	}
}

// TestLastUseNeverBackwards: a node flushing an older use than another
// node wrote does not move the stored last use back.
func TestLastUseNeverBackwards(t *testing.T) {
	f := newFixture(t)
	a, _ := newCounted(f)
	b, _ := newCounted(f)
	token, pt := newPersonal(t, f, "laptop", 0)
	for _, v := range []*bearer.Verifier{a, b} {
		if _, err := v.Verify(t.Context(), token); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Advance(10 * time.Second)
	if _, err := a.Verify(t.Context(), token); err != nil { // held by a
		t.Fatal(err)
	}
	older := f.clock.Now()
	f.clock.Advance(10 * time.Second)
	if _, err := b.Verify(t.Context(), token); err != nil {
		t.Fatal(err)
	}
	latest := f.clock.Now()
	must(t, b.FlushAllUses(t.Context()))
	must(t, a.FlushAllUses(t.Context()))
	if got := storedLastUse(t, f, pt.ID); !got.Equal(latest) || got.Equal(older) {
		t.Errorf("stored last use %v, want node b's later use %v", got, latest)
	}
}

// TestLastUseForgotten: a use of the old secret still held in memory when
// the token is rotated (or revoked) here is not written afterwards: the
// rotated token shows no use it did not have.
func TestLastUseForgotten(t *testing.T) {
	f := newFixture(t)
	v, _ := newCounted(f)
	token, pt := newPersonal(t, f, "laptop", 0)
	for range 2 { // the first use is written, the second held
		if _, err := v.Verify(t.Context(), token); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(10 * time.Second)
	}
	must(t, f.store.UpdatePersonalToken(t.Context(), userID, pt.ID, func(old storage.PersonalToken) (storage.PersonalToken, error) {
		old.Hash, old.CreatedAt, old.LastUsedAt = "rotated", f.clock.Now().UTC(), time.Time{}
		return old, nil
	}))
	v.Forget(pt.ID)
	must(t, v.FlushAllUses(t.Context()))
	if got := storedLastUse(t, f, pt.ID); !got.IsZero() {
		t.Errorf("stored last use after the rotation %v, want none: the old secret's use was written", got)
	}
}
