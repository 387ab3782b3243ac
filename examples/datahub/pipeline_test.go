package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/storage"
)

// TestPipelineActsForAUser is issue 14's pipeline, through real servers: a
// workflow service (a confidential client allowed to exchange tokens for
// the data hub) exchanges ada's token with x/oauth2, creates uploads at
// the data hub as ada and refreshes for as long as it runs; when ada logs
// out, its token is inactive at introspection at once and its next refresh
// is refused, so its next call fails once its access token is due (at most
// the access token lifetime, 15 minutes: the documented bound for an API
// that checks JWTs offline).
func TestPipelineActsForAUser(t *testing.T) {
	h := newHub(t)
	ada := h.addUser(t, "ada")
	id, rsSecret := h.apiClient(t)
	d := newDatahub(t, h)
	_, pipeSecret, err := admin.New(h.Store, time.Now, nil).AddClient(t.Context(), admin.NewClient{ID: "pipeline",
		Name: "Workflow engine", GrantTypes: []string{admin.GrantTokenExchangeShort}, ExchangeAudiences: []string{h.apiURI}})
	if err != nil {
		t.Fatal(err)
	}

	login := h.PostForm(t, "/api/v1/auth/token", url.Values{"username": {"ada"}, "password": {testPassword},
		"scope": {"openid offline_access uploads:read uploads:write"}})
	ctx := context.Background()
	exchange := clientcredentials.Config{ClientID: "pipeline", ClientSecret: pipeSecret, TokenURL: h.URL + "/oauth/token",
		EndpointParams: url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:token-exchange"},
			"subject_token": {login["access_token"].(string)}, "subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"},
			"resource": {h.apiURI}, "requested_token_type": {"urn:ietf:params:oauth:token-type:refresh_token"}}}
	first, err := exchange.Token(ctx)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	refresher := &oauth2.Config{ClientID: "pipeline", ClientSecret: pipeSecret, Endpoint: oauth2.Endpoint{TokenURL: h.URL + "/oauth/token"}}
	src := &expiringSource{base: refresher.TokenSource(ctx, first)}
	pipeline := oauth2.NewClient(ctx, src)

	post := func(name string) (*http.Response, error) {
		return pipeline.Post(d.URL+"/api/v1/uploads", "application/json", strings.NewReader(`{"upload_name":"`+name+`"}`))
	}
	for i, name := range []string{"step 1", "step 2 after a refresh"} {
		if i > 0 {
			src.expire() // hours pass: the call refreshes first
		}
		resp, err := post(name)
		if err != nil || resp.StatusCode != http.StatusCreated {
			t.Fatalf("pipeline POST %s: %v %v", name, resp, err)
		}
		resp.Body.Close()
	}
	adaToken := h.token(t, "ada", "openid uploads:read")
	if got := d.names("/api/v1/uploads", adaToken); len(got) != 2 {
		t.Errorf("ada's uploads = %q, want the pipeline's two, made as ada (%s)", got, ada)
	}

	// ada logs out: hubauth logout revokes her login's refresh token.
	resp, err := http.PostForm(h.URL+"/oauth/revoke", url.Values{"token": {login["refresh_token"].(string)}, "client_id": {storage.CLIClientID}})
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("logout: %v %v", resp, err)
	}
	resp.Body.Close()
	current, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	in := h.PostForm(t, "/oauth/introspect", url.Values{"token": {current.AccessToken}, "client_id": {id}, "client_secret": {rsSecret}})
	if in["active"] != false {
		t.Errorf("introspection of the pipeline's token after logout: %v, want inactive", in)
	}
	// The bound: until it expires, an API checking JWTs offline (with its
	// userinfo answer cached) still takes the pipeline's current token.
	if r := d.do(http.MethodGet, "/api/v1/uploads", current.AccessToken, nil); r.Status != http.StatusOK {
		t.Errorf("data hub with the unexpired exchanged token after logout: %d, want 200 (offline check, the documented bound)", r.Status)
	}
	src.expire()
	if resp, err := post("after logout"); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		if resp != nil {
			resp.Body.Close()
		}
		t.Errorf("pipeline call after logout: %v %v, want its refresh refused (invalid_grant)", resp, err)
	}
}

// expiringSource is a token source whose current token the test can age
// past its expiry, as hours of a pipeline's run would.
type expiringSource struct {
	base oauth2.TokenSource
	tok  *oauth2.Token
}

func (s *expiringSource) Token() (*oauth2.Token, error) {
	if s.tok != nil && s.tok.Valid() {
		return s.tok, nil
	}
	tok, err := s.base.Token()
	if err != nil {
		return nil, err
	}
	s.tok = tok
	return tok, nil
}

// expire ages the current token: the next call refreshes it.
func (s *expiringSource) expire() {
	if s.tok != nil {
		s.tok.Expiry = time.Now().Add(-time.Minute)
	}
}
