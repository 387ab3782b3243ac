package bearer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

// personal checks a personal token: from the verified-token cache when
// this node read it less than VerifiedTTL ago, else from the database
// (the token live, its user enabled). The use is recorded coalesced
// (LastUseEvery).
func (v *Verifier) personal(ctx context.Context, token string) (Principal, error) {
	now := v.now()
	hash := secret.Hash(token)
	e, gen, ok := v.verified.get(hash, now)
	if !ok {
		pt, u, err := v.lookup(ctx, hash, now)
		if err != nil {
			return Principal{}, err
		}
		e = verified{lastUsed: pt.LastUsedAt, p: Principal{
			Subject: pt.UserID, Scopes: pt.Scopes, Kind: KindPersonalToken, TokenID: pt.ID,
			IssuedAt: pt.CreatedAt, ExpiresAt: pt.ExpiresAt, User: &u,
		}}
		v.verified.put(hash, gen, e.p, e.lastUsed, now)
	}
	if err := v.uses.record(ctx, e.p.TokenID, e.lastUsed, now); err != nil {
		return Principal{}, err
	}
	return e.p, nil
}

// lookup reads the live personal token of hash and its enabled user.
func (v *Verifier) lookup(ctx context.Context, hash string, now time.Time) (storage.PersonalToken, storage.User, error) {
	pt, err := v.store.GetPersonalTokenByHash(ctx, hash, now)
	if errors.Is(err, storage.ErrNotFound) {
		return pt, storage.User{}, fmt.Errorf("%w: unknown, expired or revoked personal token", ErrInvalidToken)
	}
	if err != nil {
		return pt, storage.User{}, err
	}
	u, err := v.checkUser(ctx, pt.UserID)
	if err != nil {
		return pt, storage.User{}, err
	}
	return pt, *u, nil
}

// Forget drops personal token id from this node's verified-token cache
// and its uses not yet written: account.Issuer calls it when it revokes or
// rotates the token, so that the old secret is refused here from then on
// and its last use is not written over the rotated token's.
func (v *Verifier) Forget(id string) {
	v.verified.forget(id)
	v.uses.forget(id)
}

// FlushDueUses writes, in one transaction, the personal-token uses held
// in memory whose LastUseEvery window has passed.
func (v *Verifier) FlushDueUses(ctx context.Context) error { return v.uses.flushDue(ctx, v.now()) }

// FlushAllUses writes every personal-token use held in memory (at
// shutdown).
func (v *Verifier) FlushAllUses(ctx context.Context) error { return v.uses.flushAll(ctx, v.now()) }
