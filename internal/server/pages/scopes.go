package pages

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// signInScopes are the OpenID Connect scopes of a login; the new-token
// form does not offer them (a personal token always shows the profile).
var signInScopes = []string{"openid", "profile", "email", "offline_access"}

// describeScopes returns the scopes with the descriptions the consent and
// device pages show.
func (p *Pages) describeScopes(ctx context.Context, names []string) ([]storage.Scope, error) {
	set, err := p.cfg.Scopes.Load(ctx)
	if err != nil {
		return nil, err
	}
	return set.Describe(names), nil
}

// describeAPIs returns the APIs (name and URI) the consent and device
// pages show for the resources a request covers; one since removed shows
// its URI alone.
func (p *Pages) describeAPIs(ctx context.Context, uris []string) ([]storage.API, error) {
	if len(uris) == 0 {
		return nil, nil
	}
	list, err := p.cfg.Store.ListAPIs(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]storage.API, 0, len(uris))
	for _, u := range uris {
		i := slices.IndexFunc(list, func(a storage.API) bool { return a.URI == u })
		if i < 0 {
			out = append(out, storage.API{URI: u})
			continue
		}
		out = append(out, list[i])
	}
	return out, nil
}

// scopeChoices are the new-token form's checkboxes: every scope the hub
// grants but the sign-in ones and those of token management, which a
// personal token never carries (scopes.ManagesTokens), the platform's
// registered scopes included.
func scopeChoices(set *scopes.Set, checked []string) []scopeChoice {
	var out []scopeChoice
	for _, s := range set.All() {
		if !slices.Contains(signInScopes, s.Name) && !scopes.ManagesTokens(s.Name) {
			out = append(out, scopeChoice{Name: s.Name, Description: s.Description, Checked: slices.Contains(checked, s.Name)})
		}
	}
	return out
}

// chosenScopes reads the scope checkboxes (one field per scope, since the
// form reader refuses repeated fields) in the form's order. A field for a
// scope the form does not offer (removed since the page was shown, or
// forged) is kept, so that the token check refuses it rather than the
// token being made without it.
func chosenScopes(r *http.Request, set *scopes.Set) []string {
	var out, other []string
	for _, c := range scopeChoices(set, nil) {
		if formValue(r, "scope_"+c.Name) != "" {
			out = append(out, c.Name)
		}
	}
	for key, v := range r.PostForm {
		if name, ok := strings.CutPrefix(key, "scope_"); ok && v[0] != "" && !slices.Contains(out, name) {
			other = append(other, name)
		}
	}
	slices.Sort(other)
	return append(out, other...)
}
