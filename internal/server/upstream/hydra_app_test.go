package upstream_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

// hydraUser is who signs in at the login app.
type hydraUser struct {
	Subject, Username, Name, Email string
	Verified                       bool
}

// hydraApp is the login and consent app Hydra sends the browser to: it
// signs in its user at once, and at consent grants the OpenID scopes with
// the user's claims in the ID token, or denies when deny is set.
type hydraApp struct {
	t     *testing.T
	URL   string
	admin string // Hydra's admin API, set before Hydra sends anyone here

	mu   sync.Mutex
	user hydraUser
	deny bool
}

func newHydraApp(t *testing.T) *hydraApp {
	t.Helper()
	a := &hydraApp{t: t}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", a.login)
	mux.HandleFunc("GET /consent", a.consent)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	a.URL = srv.URL
	return a
}

// set chooses the next user and whether they deny at consent.
func (a *hydraApp) set(u hydraUser, deny bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.user, a.deny = u, deny
}

func (a *hydraApp) get() (hydraUser, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.user, a.deny
}

func (a *hydraApp) login(w http.ResponseWriter, r *http.Request) {
	challenge := r.URL.Query().Get("login_challenge")
	flow := a.admin + "/admin/oauth2/auth/requests/login"
	var req struct {
		Client struct {
			ID string `json:"client_id"`
		} `json:"client"`
	}
	if err := hydraCall(http.MethodGet, flow, challenge, "login_challenge", nil, &req); err != nil || req.Client.ID == "" {
		http.Error(w, fmt.Sprintf("login request: %v", err), http.StatusBadGateway)
		return
	}
	u, _ := a.get()
	a.redirect(w, r, flow+"/accept", challenge, "login_challenge", map[string]any{"subject": u.Subject})
}

func (a *hydraApp) consent(w http.ResponseWriter, r *http.Request) {
	challenge := r.URL.Query().Get("consent_challenge")
	flow := a.admin + "/admin/oauth2/auth/requests/consent"
	var req struct {
		Subject string   `json:"subject"`
		Scope   []string `json:"requested_scope"`
	}
	if err := hydraCall(http.MethodGet, flow, challenge, "consent_challenge", nil, &req); err != nil {
		http.Error(w, fmt.Sprintf("consent request: %v", err), http.StatusBadGateway)
		return
	}
	u, deny := a.get()
	if deny {
		a.redirect(w, r, flow+"/reject", challenge, "consent_challenge",
			map[string]any{"error": "access_denied", "error_description": "The user did not allow it."})
		return
	}
	if req.Subject != u.Subject {
		http.Error(w, "consent for "+req.Subject+", signed in "+u.Subject, http.StatusConflict)
		return
	}
	var grant []string
	for _, s := range req.Scope {
		if s == "openid" || s == "profile" || s == "email" {
			grant = append(grant, s)
		}
	}
	claims := map[string]any{"name": u.Name, "email": u.Email, "email_verified": u.Verified, "preferred_username": u.Username}
	a.redirect(w, r, flow+"/accept", challenge, "consent_challenge",
		map[string]any{"grant_scope": grant, "session": map[string]any{"id_token": claims}})
}

// redirect answers Hydra's challenge with body and sends the browser where
// Hydra says.
func (a *hydraApp) redirect(w http.ResponseWriter, r *http.Request, endpoint, challenge, param string, body any) {
	var next struct {
		To string `json:"redirect_to"`
	}
	if err := hydraCall(http.MethodPut, endpoint, challenge, param, body, &next); err != nil || next.To == "" {
		http.Error(w, fmt.Sprintf("%s: %v", endpoint, err), http.StatusBadGateway)
		return
	}
	http.Redirect(w, r, next.To, http.StatusFound)
}

// hydraCall calls Hydra's admin API with the challenge as query parameter
// param (none when empty) and JSON in and out.
func hydraCall(method, endpoint, challenge, param string, in, out any) error {
	if param != "" {
		endpoint += "?" + url.Values{param: {challenge}}.Encode()
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, endpoint, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, endpoint, resp.StatusCode, b)
	}
	return json.Unmarshal(b, out)
}
