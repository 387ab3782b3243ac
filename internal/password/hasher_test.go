package password

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func newTestHasher(t *testing.T, p Params, workers, queue int) *Hasher {
	t.Helper()
	h := NewHasher(p, workers, queue)
	t.Cleanup(h.Close)
	return h
}

func mustHash(t *testing.T, h *Hasher, password string) string {
	t.Helper()
	encoded, err := h.Hash(t.Context(), password)
	if err != nil {
		t.Fatalf("Hash: %v", err)
	}
	return encoded
}

func TestVerify(t *testing.T) {
	h := newTestHasher(t, TestParams, 2, 0)
	other := newTestHasher(t, Params{Memory: 128, Time: 2, Threads: 2, SaltLen: 8, KeyLen: 16}, 1, 0)
	s3cret := mustHash(t, h, "s3cret")
	tests := []struct {
		name, encoded, password string
		want                    bool
	}{
		{"right password", s3cret, "s3cret", true},
		{"wrong password", s3cret, "s3cret ", false},
		{"case matters", s3cret, "S3cret", false},
		{"empty password", mustHash(t, h, ""), "", true},
		{"empty against non-empty", s3cret, "", false},
		{"unicode", mustHash(t, h, "pässwörd 🔑"), "pässwörd 🔑", true},
		{"older parameters", mustHash(t, other, "s3cret"), "s3cret", true},
		{"older parameters, wrong password", mustHash(t, other, "s3cret"), "secret", false},
		{"fixed hash", validHash, "correct horse", true},
		{"reference vector", referenceHash, "password", true},
		{"reference vector, wrong password", referenceHash, "Password", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := h.Verify(t.Context(), tt.encoded, tt.password)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got != tt.want {
				t.Errorf("Verify(%q) = %v, want %v", tt.password, got, tt.want)
			}
		})
	}
}

func TestHashFormat(t *testing.T) {
	h := newTestHasher(t, DefaultParams, 1, 0)
	a, b := mustHash(t, h, "same"), mustHash(t, h, "same")
	if a == b {
		t.Errorf("two hashes of one password are equal: the salt is not random")
	}
	const prefix = "$argon2id$v=19$m=19456,t=2,p=1$"
	if !strings.HasPrefix(a, prefix) {
		t.Errorf("Hash = %q, want prefix %q", a, prefix)
	}
	d, err := parse(a)
	if err != nil {
		t.Fatalf("parse(Hash): %v", err)
	}
	if d.params != DefaultParams {
		t.Errorf("params = %+v, want %+v", d.params, DefaultParams)
	}
}

func TestNeedsRehash(t *testing.T) {
	h := newTestHasher(t, TestParams, 1, 0)
	longerKey := TestParams
	longerKey.KeyLen = 64
	other := newTestHasher(t, longerKey, 1, 0)
	tests := []struct {
		name    string
		encoded string
		want    bool
	}{
		{"current parameters", mustHash(t, h, "pw"), false},
		{"fixed hash with current parameters", validHash, false},
		{"other key length", mustHash(t, other, "pw"), true},
		{"other cost", referenceHash, true},
		{"invalid", "$argon2id$v=19$m=64", true},
		{"empty", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h.NeedsRehash(tt.encoded); got != tt.want {
				t.Errorf("NeedsRehash = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestVerifyInvalidHash(t *testing.T) {
	h := newTestHasher(t, TestParams, 1, 0)
	const password = "hunter2-very-secret"
	encoded := "$argon2id$v=19$m=2097152,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + password
	ok, err := h.Verify(t.Context(), encoded, password)
	if ok || !errors.Is(err, ErrInvalidHash) {
		t.Fatalf("Verify = %v, %v; want false, ErrInvalidHash", ok, err)
	}
	if msg := err.Error(); strings.Contains(msg, password) || strings.Contains(msg, "c2FsdHNh") {
		t.Errorf("error %q leaks the password or hash", msg)
	}
}

func TestVerifyDummy(t *testing.T) {
	h := newTestHasher(t, TestParams, 1, 0)
	if err := h.VerifyDummy(t.Context(), "anything"); err != nil {
		t.Fatalf("VerifyDummy: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := h.VerifyDummy(ctx, "anything"); !errors.Is(err, context.Canceled) {
		t.Errorf("VerifyDummy with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestNewHasher(t *testing.T) {
	tests := []struct {
		name           string
		p              Params
		workers, queue int
		wantParams     Params
		wantQueue      int
	}{
		{"zero params are the defaults", Params{}, 1, 0, DefaultParams, 4},
		{"partial params", Params{Memory: 64, Time: 1}, 2, 0,
			Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 8},
		{"explicit queue", TestParams, 1, 3, TestParams, 3},
		{"no queue", TestParams, 3, -1, TestParams, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newTestHasher(t, tt.p, tt.workers, tt.queue)
			if got := h.Params(); got != tt.wantParams {
				t.Errorf("Params() = %+v, want %+v", got, tt.wantParams)
			}
			if got := cap(h.slots) - tt.workers; got != tt.wantQueue {
				t.Errorf("queue = %d, want %d", got, tt.wantQueue)
			}
		})
	}
	t.Run("invalid params panic", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Errorf("NewHasher with 2 GiB did not panic")
			}
		}()
		NewHasher(Params{Memory: 2 << 20}, 1, 0).Close()
	})
}

func BenchmarkHash(b *testing.B) {
	h := NewHasher(DefaultParams, 1, 0)
	defer h.Close()
	for b.Loop() {
		if _, err := h.Hash(context.Background(), "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	h := NewHasher(DefaultParams, 1, 0)
	defer h.Close()
	encoded, err := h.Hash(context.Background(), "correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, err := h.Verify(context.Background(), encoded, "correct horse battery staple"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkHashParallel measures the throughput of the whole pool (one worker
// per core): logins per second = 1e9 / ns/op.
func BenchmarkHashParallel(b *testing.B) {
	h := NewHasher(DefaultParams, 0, 0)
	defer h.Close()
	var busy sync.Once
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_, err := h.Hash(context.Background(), "correct horse battery staple")
			if errors.Is(err, ErrBusy) {
				busy.Do(func() { b.Log("pool saturated: ErrBusy") })
				time.Sleep(time.Millisecond)
			} else if err != nil {
				b.Error(err)
				return
			}
		}
	})
}
