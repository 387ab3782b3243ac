package storagetest

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// revokeAt is an update callback revoking a token at now, or refusing one
// already revoked with errUpdate.
func revokeAt(now time.Time) func(storage.PersonalToken) (storage.PersonalToken, error) {
	return func(p storage.PersonalToken) (storage.PersonalToken, error) {
		if !p.RevokedAt.IsZero() {
			return p, errUpdate
		}
		p.RevokedAt = now
		return p, nil
	}
}

func testPersonalTokenRevoke(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	p1, p2 := newPersonalToken("p-1", "u-1", "ci", at(0)), newPersonalToken("p-2", "u-1", "notebook", at(time.Hour))
	for _, p := range []storage.PersonalToken{p1, p2} {
		must(t, "CreatePersonalToken", s.CreatePersonalToken(ctx, p))
	}
	checkErr(t, "UpdatePersonalToken(another user's)", s.UpdatePersonalToken(ctx, "u-2", "p-1", revokeAt(at(time.Hour))), storage.ErrNotFound)
	checkErr(t, "UpdatePersonalToken(unknown)", s.UpdatePersonalToken(ctx, "u-1", "none", revokeAt(at(time.Hour))), storage.ErrNotFound)
	checkErr(t, "UpdatePersonalToken(revoke)", s.UpdatePersonalToken(ctx, "u-1", "p-1", revokeAt(at(2*time.Hour))), nil)
	checkErr(t, "UpdatePersonalToken(revoke again)", s.UpdatePersonalToken(ctx, "u-1", "p-1", revokeAt(at(3*time.Hour))), errUpdate)

	_, err := s.GetPersonalTokenByHash(ctx, p1.Hash, at(2*time.Hour))
	checkErr(t, "GetPersonalTokenByHash(revoked)", err, storage.ErrNotFound)
	revoked := p1
	revoked.RevokedAt = at(2 * time.Hour)
	got, err := s.GetPersonalToken(ctx, "u-1", "p-1")
	checkErr(t, "GetPersonalToken(revoked)", err, nil)
	diff(t, "GetPersonalToken(revoked)", got, revoked)
	_, err = s.GetPersonalToken(ctx, "u-2", "p-1")
	checkErr(t, "GetPersonalToken(another user's)", err, storage.ErrNotFound)

	list, err := s.ListPersonalTokens(ctx, "u-1")
	checkErr(t, "ListPersonalTokens", err, nil)
	diff(t, "ListPersonalTokens (revoked ones left out)", list, []storage.PersonalToken{p2})
	all, err := s.ListAllPersonalTokens(ctx, "u-1")
	checkErr(t, "ListAllPersonalTokens", err, nil)
	diff(t, "ListAllPersonalTokens (newest first)", all, []storage.PersonalToken{p2, revoked})

	again := newPersonalToken("p-3", "u-1", "ci", at(3*time.Hour))
	checkErr(t, "CreatePersonalToken(the name of a revoked one)", s.CreatePersonalToken(ctx, again), nil)
	rename := func(p storage.PersonalToken) (storage.PersonalToken, error) { p.Name = "ci"; return p, nil }
	checkErr(t, "UpdatePersonalToken(to a name taken)", s.UpdatePersonalToken(ctx, "u-1", "p-2", rename), storage.ErrAlreadyExists)
	checkErr(t, "UpdatePersonalToken(reviving under a name taken)", s.UpdatePersonalToken(ctx, "u-1", "p-1",
		func(p storage.PersonalToken) (storage.PersonalToken, error) { p.RevokedAt = time.Time{}; return p, nil }), storage.ErrAlreadyExists)
}

func testPersonalTokenRotate(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	p1, p2 := newPersonalToken("p-1", "u-1", "ci", at(0)), newPersonalToken("p-2", "u-1", "notebook", at(0))
	p1.LastUsedAt = at(time.Minute)
	for _, p := range []storage.PersonalToken{p1, p2} {
		must(t, "CreatePersonalToken", s.CreatePersonalToken(ctx, p))
	}
	rotated := p1
	rotated.Hash, rotated.CreatedAt, rotated.ExpiresAt, rotated.LastUsedAt = "pat-hash-new", at(time.Hour), at(time.Hour).Add(30*24*time.Hour), time.Time{}
	checkErr(t, "UpdatePersonalToken(rotate)", s.UpdatePersonalToken(ctx, "u-1", "p-1",
		func(storage.PersonalToken) (storage.PersonalToken, error) { return rotated, nil }), nil)
	_, err := s.GetPersonalTokenByHash(ctx, p1.Hash, at(time.Hour))
	checkErr(t, "GetPersonalTokenByHash(old secret)", err, storage.ErrNotFound)
	got, err := s.GetPersonalTokenByHash(ctx, "pat-hash-new", at(time.Hour))
	checkErr(t, "GetPersonalTokenByHash(new secret)", err, nil)
	diff(t, "rotated token", got, rotated)

	taken := func(p storage.PersonalToken) (storage.PersonalToken, error) { p.Hash = p2.Hash; return p, nil }
	checkErr(t, "UpdatePersonalToken(hash taken)", s.UpdatePersonalToken(ctx, "u-1", "p-1", taken), storage.ErrAlreadyExists)
	refused := func(p storage.PersonalToken) (storage.PersonalToken, error) {
		p.Hash = "pat-hash-refused"
		return p, errUpdate
	}
	checkErr(t, "UpdatePersonalToken(refused)", s.UpdatePersonalToken(ctx, "u-1", "p-1", refused), errUpdate)
	got, err = s.GetPersonalToken(ctx, "u-1", "p-1")
	checkErr(t, "GetPersonalToken", err, nil)
	diff(t, "token after refused updates", got, rotated)
}

// testPersonalTokenRevokeRace has goroutines revoke one token at once: the
// update runs in one transaction, so exactly one sees it live.
func testPersonalTokenRevokeRace(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	must(t, "CreatePersonalToken", s.CreatePersonalToken(ctx, newPersonalToken("p-1", "u-1", "ci", at(0))))
	var won, lost atomic.Int32
	parallel(8, func(int) {
		err := s.UpdatePersonalToken(ctx, "u-1", "p-1", revokeAt(at(time.Hour)))
		switch {
		case err == nil:
			won.Add(1)
		case errors.Is(err, errUpdate):
			lost.Add(1)
		default:
			t.Errorf("UpdatePersonalToken: %v", err)
		}
	})
	if won.Load() != 1 || lost.Load() != 7 {
		t.Errorf("revocations that saw the token live = %d (refused %d), want 1 (7)", won.Load(), lost.Load())
	}
}
