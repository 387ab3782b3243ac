package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/hubauth/hubauth/internal/storage"
)

// grantExercises obtains a token with each grant the hub serves.
func grantExercises(h *hub, svc clientcredentials.Config) map[string]func(*testing.T) error {
	return map[string]func(*testing.T) error{
		"authorization_code": func(t *testing.T) error { h.browserLogin(t, h.newBrowser(t), h.cliConfig()); return nil },
		"refresh_token": func(t *testing.T) error {
			tok := h.browserLogin(t, h.newBrowser(t), h.cliConfig())
			_, e := refresh(t, h, tok.RefreshToken)
			return errorIf(e)
		},
		"client_credentials": func(t *testing.T) error { _, err := svc.Token(context.Background()); return err },
		"urn:ietf:params:oauth:grant-type:device_code": func(t *testing.T) error {
			da := startDevice(t, h.cliConfig())
			h.newBrowser(t).approveDevice(da.UserCode, "approve")
			_, e := h.pollOnce(t, da.DeviceCode)
			return errorIf(e)
		},
		"urn:ietf:params:oauth:grant-type:token-exchange": func(t *testing.T) error { return exchangeOnce(t, h) },
	}
}

func errorIf(code string) error {
	if code != "" {
		return &oauth2.RetrieveError{ErrorCode: code}
	}
	return nil
}

func checkGrantTypes(t *testing.T, h *hub, d discoveryDoc) {
	svc := storage.Client{ID: "svc", GrantTypes: []string{"client_credentials"}}
	sec := h.AddClient(t, svc)
	cc := clientcredentials.Config{ClientID: svc.ID, ClientSecret: sec, TokenURL: h.URL + "/oauth/token"}
	exercises := grantExercises(h, cc)
	for _, g := range d.GrantTypes {
		if run, ok := exercises[g]; !ok {
			t.Errorf("advertised grant_type %q has no exercise here", g)
		} else if err := run(t); err != nil {
			t.Errorf("advertised grant_type %q: %v", g, err)
		}
	}
	for _, g := range []string{"implicit", "password", "urn:ietf:params:oauth:grant-type:jwt-bearer",
		"urn:ietf:params:oauth:grant-type:saml2-bearer"} {
		if slices.Contains(d.GrantTypes, g) {
			t.Errorf("grant_type %q advertised", g)
			continue
		}
		form := url.Values{"grant_type": {g}, "client_id": {svc.ID}, "client_secret": {sec}, "assertion": {"x.y.z"},
			"username": {demoUser}, "password": {demoPassword}, "subject_token": {"x"},
			"subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"}}
		status, body, _ := h.postForm(t, "/oauth/token", form)
		if e := body["error"]; status != http.StatusBadRequest || (e != "unsupported_grant_type" && e != "unauthorized_client") {
			t.Errorf("grant_type %q: %d %v, want 400 unsupported_grant_type or unauthorized_client", g, status, body)
		}
	}
}

// clientAuth sends a request authenticated with method: none (client_id
// only), client_secret_basic, client_secret_post or a JWT assertion.
func clientAuth(t *testing.T, h *hub, path string, form url.Values, method, id, sec string) int {
	t.Helper()
	form = cloneValues(form)
	switch method {
	case "none":
		form.Set("client_id", id)
	case "client_secret_post":
		form.Set("client_id", id)
		form.Set("client_secret", sec)
	case "private_key_jwt", "client_secret_jwt":
		form.Set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
		form.Set("client_assertion", "eyJhbGciOiJIUzI1NiJ9.e30.x")
	}
	req, _ := http.NewRequest(http.MethodPost, h.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if method == "client_secret_basic" {
		req.SetBasicAuth(id, sec)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// cloneValues copies v, so that a case can change its copy.
func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func checkClientAuth(t *testing.T, h *hub, d discoveryDoc) {
	svc := storage.Client{ID: "svc2", GrantTypes: []string{"client_credentials"}}
	sec := h.AddClient(t, svc)
	all := []string{"none", "client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt"}
	endpoints := []struct {
		path       string
		advertised []string
		form       url.Values
	}{
		{"/oauth/token", d.TokenAuth, url.Values{"grant_type": {"client_credentials"}}},
		{"/oauth/revoke", d.RevocationAuth, url.Values{"token": {"unknown"}}},
		{"/oauth/introspect", d.IntrospectionAuth, url.Values{"token": {"unknown"}}},
	}
	for _, ep := range endpoints {
		for _, m := range all {
			id, form := svc.ID, ep.form
			if m == "none" { // a public client; at the token endpoint, its refresh grant
				id = "hubauth-cli"
				if ep.path == "/oauth/token" {
					form = url.Values{"grant_type": {"refresh_token"}, "refresh_token": {h.browserLogin(t, h.newBrowser(t), h.cliConfig()).RefreshToken}}
				}
			}
			got := clientAuth(t, h, ep.path, form, m, id, sec)
			if want := slices.Contains(ep.advertised, m); want != (got == http.StatusOK) {
				t.Errorf("%s with %s: %d, advertised %v", ep.path, m, got, want)
			}
		}
	}
}
