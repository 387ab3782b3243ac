package pages

import "net/http"

// home shows who is signed in, or sends the browser to /login.
func (p *Pages) home(w http.ResponseWriter, r *http.Request) {
	_, u, ok := p.current(r)
	if !ok {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	p.renderHome(w, r, http.StatusOK, homeView{layout{User: &u}})
}

// logoutForm asks before signing out (a GET must not change state).
func (p *Pages) logoutForm(w http.ResponseWriter, r *http.Request) {
	_, u, ok := p.current(r)
	if !ok {
		p.renderDone(w, r, http.StatusOK, doneView{Title: "Signed out", Message: "You are not signed in."})
		return
	}
	p.renderLogout(w, r, http.StatusOK, logoutView{layout{User: &u}})
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
	p.renderDone(w, r, http.StatusOK, doneView{Title: "Signed out", Message: "You are signed out of the hub in this browser."})
}
