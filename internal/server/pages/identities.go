package pages

import (
	"errors"
	"net/http"

	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/upstream"
	"github.com/hubauth/hubauth/internal/storage"
)

// linkIdentity starts linking an identity at the posted provider to the
// signed-in user: the browser goes to the upstream and comes back to
// upstreamCallback, which links it (finishLink).
func (p *Pages) linkIdentity(w http.ResponseWriter, r *http.Request) {
	_, u, ok := p.accountForm(w, r)
	if !ok {
		return
	}
	if p.cfg.Federation == nil {
		p.notFound(w, r)
		return
	}
	p.beginAt(w, r, formValue(r, "provider"), upstream.Continuation{LinkUserID: u.ID})
}

// unlinkIdentity removes one of the signed-in user's identities, never the
// last way they have to sign in (storage.CheckUnlink: a password counts
// only while password sign-in is on).
func (p *Pages) unlinkIdentity(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.accountForm(w, r)
	if !ok {
		return
	}
	if p.cfg.Federation == nil {
		p.notFound(w, r)
		return
	}
	err := p.cfg.Federation.Unlink(r.Context(), u, formValue(r, "provider"), formValue(r, "subject"), clientaddr.From(r).String())
	v := p.newTokenForm("", -1, nil)
	switch {
	case errors.Is(err, storage.ErrLastSignIn):
		v.IdentityError = "You cannot remove your last way to sign in: link another identity first."
		p.showAccount(w, r, http.StatusConflict, bs, u, v)
	case errors.Is(err, storage.ErrNotFound):
		v.IdentityError = "You have no such linked identity: it may already be unlinked."
		p.showAccount(w, r, http.StatusNotFound, bs, u, v)
	case err != nil:
		p.failStep(w, r, err)
	default:
		http.Redirect(w, r, "/account?done=identity_unlinked#identities", http.StatusSeeOther)
	}
}

// loadIdentities fills av's sign-in methods: the user's password (none
// while password sign-in is off), linked identities, and the enabled
// providers not linked yet.
func (p *Pages) loadIdentities(r *http.Request, u storage.User, av *accountView) error {
	av.PasswordOff = p.passwordOff()
	av.HasPassword = u.PasswordHash != "" && !av.PasswordOff
	ids, err := p.cfg.Store.ListUserIdentities(r.Context(), u.ID)
	if err != nil {
		return err
	}
	enabled := p.enabledProviders(r)
	display := make(map[string]string, len(enabled))
	for _, ip := range enabled {
		display[ip.Name] = displayOf(ip)
	}
	linked := make(map[string]bool, len(ids))
	for _, id := range ids {
		linked[id.Provider] = true
		name := display[id.Provider]
		if name == "" {
			name = id.Provider + " (turned off)"
		}
		av.Identities = append(av.Identities, identityRow{Provider: name, Name: id.Provider, Subject: id.Subject,
			Linked: when(id.CreatedAt, ""), LastUsed: when(id.LastLoginAt, "never")})
	}
	for _, ip := range enabled {
		if !linked[ip.Name] {
			av.Linkable = append(av.Linkable, providerButton{Name: ip.Name, Display: displayOf(ip)})
		}
	}
	return nil
}
