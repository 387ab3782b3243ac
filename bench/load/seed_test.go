package main

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

// load seed writes rows the storage layer reads back as live: a session's
// refresh token, a personal token, the user.
func TestSeed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hubauth.db")
	var out, errs bytes.Buffer
	args := []string{"seed", "--db", path, "--users", "10", "--sessions", "30", "--personal-tokens", "20"}
	if code := Main(t.Context(), args, nil, &out, &errs); code != exitOK {
		t.Fatalf("load seed = %d: %s", code, errs.String())
	}
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tok, x, err := s.GetRefreshToken(t.Context(), storage.RefreshKey{SessionID: "seed-s-29", Hash: seedHash("seed-rt-", 29)})
	if err != nil || x.ID != "seed-s-29" || x.UserID != "seed-u-9" || !tok.Honoured(x, time.Now(), 0) {
		t.Errorf("seeded refresh token: %+v of %+v, %v; want live, of session seed-s-29 of seed-u-9", tok, x, err)
	}
	pt, err := s.GetPersonalTokenByHash(t.Context(), seedHash("seed-pat-", 19), time.Now())
	if err != nil || pt.UserID != "seed-u-9" {
		t.Errorf("seeded personal token: %+v, %v; want live, of seed-u-9", pt, err)
	}
	if u, err := s.GetUserByUsername(t.Context(), "seed9"); err != nil || u.ID != "seed-u-9" {
		t.Errorf("seeded user: %+v, %v", u, err)
	}
	if code := Main(t.Context(), []string{"seed"}, nil, &out, &errs); code != exitUsage {
		t.Errorf("load seed without --db = %d, want %d", code, exitUsage)
	}
}
