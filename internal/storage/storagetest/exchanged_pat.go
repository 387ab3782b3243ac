package storagetest

import (
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// testExchangedFromPersonalToken: a session is exchanged from a personal
// token only while the token is live (the user's, neither revoked nor
// expired), and revoking, rotating or deleting the token revokes every
// session exchanged from it, however deep, and no other.
func testExchangedFromPersonalToken(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	pats := map[string]storage.PersonalToken{}
	for _, id := range []string{"p-revoked", "p-rotated", "p-deleted", "p-expired", "p-other"} {
		pats[id] = newPersonalToken(id, "u-1", id, at(0))
		must(t, "CreatePersonalToken", s.CreatePersonalToken(ctx, pats[id]))
	}
	now := at(time.Minute)
	tok := func(hash string) storage.RefreshToken { return newToken(hash, "", now) }
	fromPAT := func(id, pat string) storage.Session {
		return exchanged(id, storage.PersonalTokenParent(pat), "pipeline", now)
	}
	for _, pat := range []string{"p-revoked", "p-rotated", "p-deleted", "p-other"} {
		must(t, "CreateExchangedSession("+pat+")", s.CreateExchangedSession(ctx, fromPAT("x-"+pat, pat), tok("rt-x-"+pat), now))
	}
	// A chain: a session exchanged from the one exchanged from the token.
	must(t, "CreateExchangedSession(chain)", s.CreateExchangedSession(ctx, exchanged("x-chain", "x-p-revoked", "transfer", now), tok("rt-chain"), now))

	refused := []struct {
		name string
		x    storage.Session
		now  time.Time
	}{
		{"expired token", fromPAT("x-expired", "p-expired"), pats["p-expired"].ExpiresAt},
		{"unknown token", fromPAT("x-unknown", "nobody"), now},
		{"another user's token", func() storage.Session { x := fromPAT("x-u2", "p-other"); x.UserID = "u-2"; return x }(), now},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			checkErr(t, "CreateExchangedSession", s.CreateExchangedSession(ctx, c.x, tok("rt-"+c.x.ID), c.now), storage.ErrNotFound)
			_, err := s.GetSession(ctx, c.x.ID)
			checkErr(t, "GetSession(refused)", err, storage.ErrNotFound)
		})
	}

	// Revoking ends the chain; renaming (nothing that ends it) does not.
	must(t, "UpdatePersonalToken(rename)", s.UpdatePersonalToken(ctx, "u-1", "p-rotated", func(p storage.PersonalToken) (storage.PersonalToken, error) {
		p.Description = "renamed"
		return p, nil
	}))
	must(t, "UpdatePersonalToken(revoke)", s.UpdatePersonalToken(ctx, "u-1", "p-revoked", revokeAt(at(time.Hour))))
	diff(t, "live after revoking (x-p-revoked, x-chain, x-p-rotated, x-p-deleted, x-p-other)",
		live(t, s, "x-p-revoked", "x-chain", "x-p-rotated", "x-p-deleted", "x-p-other"), []bool{false, false, true, true, true})
	got, err := s.GetSession(ctx, "x-chain")
	checkErr(t, "GetSession(x-chain)", err, nil)
	if !got.RevokedAt.Equal(at(time.Hour)) {
		t.Errorf("x-chain revoked at %v, want the token's revocation %v", got.RevokedAt, at(time.Hour))
	}
	checkErr(t, "CreateExchangedSession(revoked token)",
		s.CreateExchangedSession(ctx, fromPAT("x-late", "p-revoked"), tok("rt-late"), at(2*time.Hour)), storage.ErrNotFound)

	must(t, "UpdatePersonalToken(rotate)", s.UpdatePersonalToken(ctx, "u-1", "p-rotated", func(p storage.PersonalToken) (storage.PersonalToken, error) {
		p.Hash, p.CreatedAt = "pat-hash-rotated-2", at(2*time.Hour)
		return p, nil
	}))
	must(t, "DeletePersonalToken", s.DeletePersonalToken(ctx, "u-1", "p-deleted"))
	diff(t, "live after rotating and deleting (x-p-rotated, x-p-deleted, x-p-other)",
		live(t, s, "x-p-rotated", "x-p-deleted", "x-p-other"), []bool{false, false, true})
	_, err = s.RotateRefreshToken(ctx, key("x-p-rotated", "rt-x-p-rotated"), newToken("rt-x-p-rotated-2", "", at(3*time.Hour)), at(3*time.Hour), 0, nil)
	checkErr(t, "RotateRefreshToken(of a session whose token was rotated)", err, storage.ErrNotFound)
}
