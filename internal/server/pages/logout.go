package pages

import "net/http"

// home shows who is signed in, or sends the browser to /login.
func (p *Pages) home(w http.ResponseWriter, r *http.Request) {
	_, u, ok := p.current(r)
	if !ok {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	p.render(w, r, http.StatusOK, "home.html", view{User: &u})
}

// logoutForm asks before signing out (a GET must not change state).
func (p *Pages) logoutForm(w http.ResponseWriter, r *http.Request) {
	_, u, ok := p.current(r)
	if !ok {
		p.render(w, r, http.StatusOK, "done.html", view{Title: "Signed out", Message: "You are not signed in."})
		return
	}
	p.render(w, r, http.StatusOK, "logout.html", view{User: &u})
}

// logout ends the hub session and revokes the logins made from it.
func (p *Pages) logout(w http.ResponseWriter, r *http.Request) {
	if bs, _, ok := p.current(r); ok {
		if err := p.cfg.Provider.Storage.EndBrowserSession(r.Context(), bs, ""); err != nil {
			p.failStep(w, r, err)
			return
		}
	}
	p.clearCookie(w)
	p.render(w, r, http.StatusOK, "done.html", view{Title: "Signed out", Message: "You are signed out of the hub in this browser."})
}
