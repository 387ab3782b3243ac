package admin

import (
	"context"

	"github.com/hubauth/hubauth/internal/server/keys"
	"github.com/hubauth/hubauth/internal/storage"
)

// RotateKeys makes a new signing key the one that signs from now on, and
// audits it. It returns the new key.
func (a *Admin) RotateKeys(ctx context.Context) (storage.SigningKey, error) {
	k, err := keys.Generate(a.now())
	if err != nil {
		return k, err
	}
	if err := a.store.RotateSigningKeys(ctx, k); err != nil {
		return k, err
	}
	return k, a.audit(ctx, storage.AuditEvent{Detail: "rotate signing keys: new key " + k.ID})
}
