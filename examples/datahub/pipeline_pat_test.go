package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/hubauth/hubauth/internal/admin"
)

// TestPipelineActsFromAPersonalToken: a workflow service exchanges ada's
// personal token (made at NOMAD's PAT API) and creates uploads at the
// data hub as ada; when ada revokes the personal token through the same
// API, the pipeline's token is inactive at introspection at once and its
// next refresh is refused.
func TestPipelineActsFromAPersonalToken(t *testing.T) {
	h := newHub(t)
	h.addUser(t, "ada")
	id, rsSecret := h.apiClient(t)
	d := newDatahub(t, h)
	_, pipeSecret, err := admin.New(h.Store, time.Now, nil).AddClient(t.Context(), admin.NewClient{ID: "pipeline",
		Name: "Workflow engine", GrantTypes: []string{admin.GrantTokenExchangeShort}, ExchangeAudiences: []string{h.apiURI}})
	if err != nil {
		t.Fatal(err)
	}
	manager := h.hubToken(t, "ada")
	patID, pat := createPAT(t, h, manager, "uploads:read", "uploads:write")

	ctx := context.Background()
	exchange := clientcredentials.Config{ClientID: "pipeline", ClientSecret: pipeSecret, TokenURL: h.URL + "/oauth/token",
		EndpointParams: url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:token-exchange"},
			"subject_token": {pat}, "subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"},
			"resource": {h.apiURI}, "requested_token_type": {"urn:ietf:params:oauth:token-type:refresh_token"}}}
	first, err := exchange.Token(ctx)
	if err != nil {
		t.Fatalf("exchange of a personal token: %v", err)
	}
	refresher := &oauth2.Config{ClientID: "pipeline", ClientSecret: pipeSecret, Endpoint: oauth2.Endpoint{TokenURL: h.URL + "/oauth/token"}}
	src := &expiringSource{base: refresher.TokenSource(ctx, first)}
	pipeline := oauth2.NewClient(ctx, src)
	post := func(name string) (*http.Response, error) {
		return pipeline.Post(d.URL+"/api/v1/uploads", "application/json", strings.NewReader(`{"upload_name":"`+name+`"}`))
	}
	resp, err := post("from a personal token")
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("pipeline POST: %v %v", resp, err)
	}
	resp.Body.Close()
	if got := d.names("/api/v1/uploads", h.token(t, "ada", "openid uploads:read")); len(got) != 1 {
		t.Errorf("ada's uploads = %q, want the pipeline's one", got)
	}
	current, _ := src.Token()
	introspect := func() any {
		return h.PostForm(t, "/oauth/introspect", url.Values{"token": {current.AccessToken}, "client_id": {id}, "client_secret": {rsSecret}})["active"]
	}
	if got := introspect(); got != true {
		t.Fatalf("introspection of the pipeline's token: %v, want active", got)
	}

	req, _ := http.NewRequest(http.MethodDelete, h.URL+"/api/v1/auth/pats/"+patID, nil)
	req.Header.Set("Authorization", "Bearer "+manager)
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode/100 != 2 {
		t.Fatalf("DELETE /api/v1/auth/pats/%s: %v %v", patID, resp, err)
	}
	resp.Body.Close()
	if got := introspect(); got != false {
		t.Errorf("introspection after the personal token's revocation: %v, want inactive", got)
	}
	src.expire()
	if resp, err := post("after the revocation"); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		if resp != nil {
			resp.Body.Close()
		}
		t.Errorf("pipeline call after the revocation: %v %v, want its refresh refused (invalid_grant)", resp, err)
	}
}

// createPAT creates a personal token with scopes at NOMAD's PAT endpoint
// and returns its id and secret.
func createPAT(t *testing.T, h *hub, access string, scopes ...string) (id, token string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"metadata": map[string]any{"name": "t-" + strings.Join(scopes, "-"), "scopes": scopes}, "expires_in_days": 1})
	req, _ := http.NewRequest(http.MethodPost, h.URL+"/api/v1/auth/pats", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+access)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		PAT      struct{ ID string } `json:"pat"`
		RawToken string              `json:"raw_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated || out.RawToken == "" {
		t.Fatalf("POST /api/v1/auth/pats: %d %v", resp.StatusCode, err)
	}
	return out.PAT.ID, out.RawToken
}
