package sqlite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// benchStore opens a Store for a benchmark, with a cancellable context as an
// HTTP handler would pass.
func benchStore(b *testing.B) (context.Context, *Store) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	s, err := Open(ctx, filepath.Join(b.TempDir(), "hub.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return ctx, s
}

// tokenHash is a realistic refresh token hash: SHA-256 hex.
func tokenHash(parts ...any) string {
	sum := sha256.Sum256(fmt.Appendln(nil, parts...)) // Appendln: spaces between parts
	return hex.EncodeToString(sum[:])
}

// reportRate reports operations per second of wall time, and the process
// CPU time per operation since cpu (the CPU clock at the start): the machine
// may be shared, and CPU time is what the other work of a request competes
// for.
func reportRate(b *testing.B, cpu time.Duration, unit string) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
	if used := processCPU() - cpu; used > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkRotateRefreshToken measures the refresh grant's storage work:
// every goroutine owns a session and rotates its current token again and
// again (outcome Rotated), 16 goroutines per CPU, as many rotations at
// once as bench/load's 32 clients ask on two cores.
func BenchmarkRotateRefreshToken(b *testing.B) {
	ctx, s := benchStore(b)
	benchRotations(ctx, b, s)
}

// BenchmarkRotateRefreshTokenLargeDatabase is BenchmarkRotateRefreshToken
// on a database that already holds 300,000 live sessions with a refresh
// token each (bench/load's seed has a million): a rotation's pages are
// found, and written, among many.
func BenchmarkRotateRefreshTokenLargeDatabase(b *testing.B) {
	ctx, s := benchStore(b)
	const fill = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
		INSERT INTO sessions (id, user_id, client_id, method, name, address, browser_session_id, scopes,
			auth_time, amr, created_at, last_used_at, expires_at, revoked_at)
		SELECT hex(randomblob(11)), 'u-' || (i % 30000), 'hubauth-cli', 'device', '', '', '', '["openid"]',
			0, '["pwd"]', 0, 0, 9000000000000000000, 0 FROM n`
	const tokens = `INSERT INTO refresh_tokens (session_id, hash, created_at, expires_at, rotated_at)
		SELECT id, lower(hex(randomblob(32))), 0, 9000000000000000000, 0 FROM sessions`
	for _, q := range []string{fill, tokens} {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	benchRotations(ctx, b, s)
}

func benchRotations(ctx context.Context, b *testing.B, s *Store) {
	now := time.Now().UTC()
	var sessions atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	cpu := processCPU()
	b.RunParallel(func(pb *testing.PB) {
		id := fmt.Sprint("s-", sessions.Add(1))
		x := storage.Session{ID: id, UserID: "u-1", ClientID: "hubauth-cli", Method: storage.MethodDevice,
			Scopes: []string{"openid", "offline_access"}, AMR: []string{"pwd"},
			CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(24 * time.Hour)}
		tok := storage.RefreshToken{Hash: tokenHash(id, 0), CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)}
		if err := s.CreateSession(ctx, x, tok); err != nil {
			b.Error(err)
			return
		}
		for i := 1; pb.Next(); i++ {
			next := storage.RefreshToken{Hash: tokenHash(id, i), CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)}
			res, err := s.RotateRefreshToken(ctx, storage.RefreshKey{SessionID: id, Hash: tok.Hash}, next, now, 10*time.Second, nil)
			if err != nil || res.Outcome != storage.Rotated {
				b.Errorf("RotateRefreshToken = %v, %v", res.Outcome, err)
				return
			}
			tok = next
		}
	})
	reportRate(b, cpu, "rotations/s")
}

// BenchmarkGetClient measures the most frequent read: every token request
// looks its client up.
func BenchmarkGetClient(b *testing.B) {
	ctx, s := benchStore(b)
	c := storage.Client{ID: "hubauth-cli", Name: "hubauth CLI", Public: true, FirstParty: true,
		RedirectURIs: []string{"http://127.0.0.1/callback"},
		GrantTypes:   []string{"authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"},
		CreatedAt:    time.Now()}
	if err := s.CreateClient(ctx, c); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu := processCPU()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.GetClient(ctx, c.ID); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportRate(b, cpu, "reads/s")
}
