package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/client/internal/store"
)

// recorder is a data API on another host that records the Authorization
// header of each request and answers with status.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	auth []string
}

func newRecorder(t *testing.T, status int) *recorder {
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.auth = append(r.auth, req.Header.Get("Authorization"))
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.auth...)
}

// dataAPI is a data API on its own host that accepts the hub's tokens
// (it asks the hub's userinfo endpoint) and answers POSTs with 201 and the
// body it received.
func dataAPI(t *testing.T, h *hub) *httptest.Server {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		check, _ := http.NewRequest(http.MethodGet, h.URL+"/userinfo", nil)
		check.Header.Set("Authorization", r.Header.Get("Authorization"))
		resp, err := http.DefaultClient.Do(check)
		if err != nil {
			t.Error(err)
			return
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusCreated)
		w.Write(body)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func TestHTTPClientRefreshesOnceOn401(t *testing.T) {
	h := newHub(t)
	api := dataAPI(t, h)
	_, dir := loggedIn(t, h)
	ctx := context.Background()
	// The stored token looks valid but the hub refuses it.
	editStored(t, dir, h, func(s *store.Session) { s.AccessToken = "refused"; s.Expiry = time.Now().Add(time.Hour) })
	c := newClient(t, h, dir)
	if _, err := me(t, c, h); err != nil || h.refreshes.Load() != 1 {
		t.Fatalf("GET with a refused token: %v after %d refreshes; want success after one", err, h.refreshes.Load())
	}

	// A body that can be replayed (GetBody set by http.NewRequest) is sent again.
	editStored(t, dir, h, func(s *store.Session) { s.AccessToken = "refused" })
	c = newClient(t, h, dir)
	const upload = `{"upload_name":"spectra"}`
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, api.URL+"/api/v1/uploads", strings.NewReader(upload))
	resp, err := c.HTTPClient(ctx).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	echo, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || string(echo) != upload || h.refreshes.Load() != 2 {
		t.Fatalf("POST with a refused token: %d %q after %d refreshes, want 201 %q after 2", resp.StatusCode, echo, h.refreshes.Load(), upload)
	}

	// One that cannot is not: the 401 comes back.
	editStored(t, dir, h, func(s *store.Session) { s.AccessToken = "refused" })
	c = newClient(t, h, dir)
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, api.URL+"/api/v1/uploads", io.NopCloser(strings.NewReader(upload)))
	resp, err = c.HTTPClient(ctx).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := client.CheckResponse(resp); !errors.Is(err, client.ErrNotLoggedIn) || h.refreshes.Load() != 2 {
		t.Fatalf("POST with a one-shot body: %v after %d refreshes, want ErrNotLoggedIn and no refresh", err, h.refreshes.Load())
	}
}

func TestHTTPClientForbidden(t *testing.T) {
	h := newHub(t)
	c, _ := loggedIn(t, h)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"error":"insufficient_scope","error_description":"uploads:write is required"}`)
	}))
	defer api.Close()
	resp, err := c.HTTPClient(context.Background()).Get(api.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	err = client.CheckResponse(resp)
	var herr *client.HTTPError
	if !errors.Is(err, client.ErrForbidden) || errors.Is(err, client.ErrNotLoggedIn) || !errors.As(err, &herr) ||
		err.Error() != "client: 403 Forbidden: insufficient_scope: uploads:write is required" {
		t.Fatalf("CheckResponse(403) = %v", err)
	}
	if body, _ := io.ReadAll(resp.Body); !bytes.Equal(body, herr.Body) {
		t.Fatal("CheckResponse did not leave the body readable")
	}
}

func TestSessionIsNeverSentToAnotherServer(t *testing.T) {
	a := newHub(t)
	b := newHub(t)
	c, dir := loggedIn(t, a)
	ctx := context.Background()

	// A client for B in the same data directory has no session.
	forB := newClient(t, b, dir)
	if _, err := forB.Token(ctx); !errors.Is(err, client.ErrNotLoggedIn) {
		t.Fatalf("Token for B with a session for A = %v, want ErrNotLoggedIn", err)
	}
	if _, err := me(t, forB, b); !errors.Is(err, client.ErrNotLoggedIn) {
		t.Fatalf("B's /users/me = %v, want 401", err)
	}
	spy := newRecorder(t, http.StatusOK)
	if resp, err := forB.HTTPClient(ctx).Get(spy.URL); err == nil {
		resp.Body.Close()
	}

	// A's token goes to the URL asked for, but not along a redirect to
	// another host.
	redirect := httptest.NewServer(http.RedirectHandler(spy.URL+"/elsewhere", http.StatusFound))
	defer redirect.Close()
	resp, err := c.HTTPClient(ctx).Get(redirect.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if diff := cmp.Diff([]string{"", ""}, spy.seen()); diff != "" {
		t.Fatalf("Authorization headers at the other server (-want +got):\n%s", diff)
	}
}

func TestCheckResponse(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   string
		is     error
	}{
		{"ok", 200, nil, `{}`, "", nil},
		{"oauth error", 400, nil, `{"error":"invalid_request","error_description":"bad"}`, "client: 400 Bad Request: invalid_request: bad", nil},
		{"message", 500, nil, `{"message":"database down"}`, "client: 500 Internal Server Error: database down", nil},
		{"fastapi detail", 422, nil, `{"detail":"expires_in is required"}`, "client: 422 Unprocessable Entity: expires_in is required", nil},
		{"bearer challenge", 401, http.Header{"Www-Authenticate": {`Bearer realm="hub", error="invalid_token", error_description="the token expired"`}}, ``,
			"client: 401 Unauthorized: invalid_token: the token expired", client.ErrNotLoggedIn},
		{"throttled", 429, http.Header{"Retry-After": {"7"}}, `{"error":"slow_down"}`, "client: 429 Too Many Requests: slow_down (retry after 7s)", nil},
		{"html", 403, nil, `<html>no</html>`, "client: 403 Forbidden", client.ErrForbidden},
		{"control characters", 400, nil, `{"error":"x","error_description":"a\u001b[2Jb"}`, "client: 400 Bad Request: x: a[2Jb", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.status, Header: tt.header, Body: io.NopCloser(strings.NewReader(tt.body))}
			if resp.Header == nil {
				resp.Header = http.Header{}
			}
			err := client.CheckResponse(resp)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Fatalf("CheckResponse = %q, want %q", got, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("CheckResponse = %v, want it to match %v", err, tt.is)
			}
		})
	}
}

func TestHTTPClientDoesNotRefreshPerRequestForAnAPIThatRefusesAll(t *testing.T) {
	h := newHub(t)
	c, _ := loggedIn(t, h)
	api := newRecorder(t, http.StatusUnauthorized)
	for range 3 {
		resp, err := c.HTTPClient(context.Background()).Get(api.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want the API's 401", resp.StatusCode)
		}
	}
	if n := h.refreshes.Load(); n != 1 {
		t.Fatalf("%d refreshes for 3 refused requests, want 1", n)
	}
	if n := len(api.seen()); n != 4 {
		t.Fatalf("%d requests at the API, want 4 (one retry)", n)
	}
}
