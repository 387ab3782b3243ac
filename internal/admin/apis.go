package admin

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/audience"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// NewAPI is a resource server to register (hubauth admin api add).
type NewAPI struct {
	ID     string
	URI    string   // the audience of its tokens: https, or http on a loopback host
	Name   string   // "": the ID
	Scopes []string // registered scopes it owns, none of another API's
}

// AddAPI registers an API owning its scopes and audits it. A token asking
// for its scopes, or naming its URI as resource (RFC 8707), is for it:
// running servers follow within scopes.CacheTTL.
func (a *Admin) AddAPI(ctx context.Context, n NewAPI) (storage.API, error) {
	api := storage.API{ID: n.ID, URI: n.URI, Name: n.Name, Scopes: names.Dedupe(n.Scopes), CreatedAt: a.now().UTC()}
	if api.Name == "" {
		api.Name = api.ID
	}
	if err := checkAPI(api); err != nil {
		return api, invalid(err)
	}
	slices.Sort(api.Scopes)
	if err := a.checkAPIScopes(ctx, api); err != nil {
		return api, err
	}
	if err := a.store.CreateAPI(ctx, api); err != nil {
		return api, describe(err, "API", api.ID)
	}
	return api, a.audit(ctx, storage.AuditEvent{Detail: fmt.Sprintf("add api %s (uri: %s; scopes: %s)",
		api.ID, api.URI, strings.Join(api.Scopes, " "))})
}

// checkAPI validates what needs no database: the id, name and URI.
func checkAPI(api storage.API) error {
	if err := names.CheckID("API ID", api.ID); err != nil {
		return err
	}
	if err := names.CheckText("--name", api.Name); err != nil {
		return err
	}
	if err := audience.CheckURI(api.URI); err != nil {
		return fmt.Errorf("--uri %s: %w", names.Quote(api.URI), err)
	}
	for _, sc := range api.Scopes {
		if scopes.IsBuiltin(sc) {
			return fmt.Errorf("scope %s is built into the hub: an API owns scopes registered with hubauth admin scope add", names.Quote(sc))
		}
	}
	return nil
}

// checkAPIScopes names, before the store refuses it, a scope that is not
// registered or belongs to another API, and a URI another API has.
func (a *Admin) checkAPIScopes(ctx context.Context, api storage.API) error {
	registered, err := a.store.ListScopes(ctx)
	if err != nil {
		return err
	}
	for _, sc := range api.Scopes {
		if !slices.ContainsFunc(registered, func(r storage.Scope) bool { return r.Name == sc }) {
			return invalid(fmt.Errorf("scope %s is not registered: add it first with hubauth admin scope add %s --description …",
				names.Quote(sc), sc))
		}
	}
	apis, err := a.store.ListAPIs(ctx)
	if err != nil {
		return err
	}
	for _, other := range apis {
		if other.URI == api.URI && other.ID != api.ID {
			return conflict(fmt.Sprintf("API %s already has the URI %s", names.Quote(other.ID), names.Quote(api.URI)))
		}
		for _, sc := range api.Scopes {
			if slices.Contains(other.Scopes, sc) {
				return conflict(fmt.Sprintf("scope %s belongs to API %s: a scope belongs to one API", names.Quote(sc), names.Quote(other.ID)))
			}
		}
	}
	return nil
}

// conflict is an operator's message for a change that clashes with what
// is stored (storage.ErrAlreadyExists).
func conflict(msg string) error {
	return &adminError{msg: msg, causes: []error{storage.ErrAlreadyExists}}
}

// RemoveAPI removes a registered API and audits it; its scopes stay
// registered, owned by none, and its tokens stop being issued.
func (a *Admin) RemoveAPI(ctx context.Context, id string) error {
	if err := a.store.DeleteAPI(ctx, id); err != nil {
		return describe(err, "API", id)
	}
	return a.audit(ctx, storage.AuditEvent{Detail: "remove api " + id})
}

// GetAPI reads a registered API, with an operator's message when unknown.
func GetAPI(ctx context.Context, s storage.Storage, id string) (storage.API, error) {
	api, err := s.GetAPI(ctx, id)
	return api, describe(err, "API", id)
}
