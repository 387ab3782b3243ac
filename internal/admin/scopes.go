package admin

import (
	"context"
	"fmt"

	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// AddScope registers a scope of the platform's own API (e.g. uploads:write)
// and audits it. Running servers grant it within scopes.CacheTTL.
func (a *Admin) AddScope(ctx context.Context, name, description string) error {
	if err := scopes.CheckNew(name, description); err != nil {
		return invalid(err)
	}
	sc := storage.Scope{Name: name, Description: description, CreatedAt: a.now().UTC()}
	if err := a.store.CreateScope(ctx, sc); err != nil {
		return describe(err, "scope", sc.Name)
	}
	return a.audit(ctx, storage.AuditEvent{Detail: "add scope " + sc.Name})
}

// RemoveScope removes a registered scope and audits it; built-in scopes
// cannot be removed.
func (a *Admin) RemoveScope(ctx context.Context, name string) error {
	if scopes.IsBuiltin(name) {
		return invalid(fmt.Errorf("scope %q is built into the hub and cannot be removed", name))
	}
	if err := a.store.DeleteScope(ctx, name); err != nil {
		return describe(err, "scope", name)
	}
	return a.audit(ctx, storage.AuditEvent{Detail: "remove scope " + name})
}
