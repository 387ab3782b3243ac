package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// dataAPI is a stand-in for a data API on another host that accepts the
// hub's tokens: it records each request and answers as told.
type dataAPI struct {
	mu       sync.Mutex
	requests []seenRequest
	status   int
	body     string
}

type seenRequest struct {
	Method, Path, Auth, ContentType, Custom, Body string
}

func newDataAPI(t *testing.T, status int, body string) (*dataAPI, string) {
	api := &dataAPI{status: status, body: body}
	ts := httptest.NewServer(api)
	t.Cleanup(ts.Close)
	return api, ts.URL
}

func (a *dataAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	a.mu.Lock()
	a.requests = append(a.requests, seenRequest{r.Method, r.URL.RequestURI(), r.Header.Get("Authorization"),
		r.Header.Get("Content-Type"), r.Header.Get("X-Custom"), string(body)})
	a.mu.Unlock()
	if a.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="unknown issuer"`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	io.WriteString(w, a.body)
}

func (a *dataAPI) seen() []seenRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]seenRequest(nil), a.requests...)
}

func TestAPISendsTheTokenAndBody(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.login()
	api, apiURL := newDataAPI(t, http.StatusCreated, `{"upload_id":"u1","upload_name":"run 7"}`)
	file := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(file, []byte(`{"upload_name":"from a file"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  seenRequest
	}{
		{"literal JSON", "", []string{"--data", `{"upload_name":"run 7"}`, "-H", "X-Custom: yes"},
			seenRequest{Method: "POST", ContentType: "application/json", Custom: "yes", Body: `{"upload_name":"run 7"}`}},
		{"file", "", []string{"-X", "put", "--data", "@" + file},
			seenRequest{Method: "PUT", ContentType: "application/json", Body: `{"upload_name":"from a file"}`}},
		{"stdin text", "hello", []string{"--data", "-", "-H", "Content-Type: text/csv"},
			seenRequest{Method: "POST", ContentType: "text/csv", Body: "hello"}},
		{"get", "", []string{"-X", "GET"}, seenRequest{Method: "GET"}},
	}
	sess, _ := h.stored("")
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := h.mustRun(tt.stdin, append([]string{"api", apiURL + "/api/v1/uploads?x=1"}, tt.args...)...)
			if want := "{\n  \"upload_id\": \"u1\",\n  \"upload_name\": \"run 7\"\n}\n"; out != want {
				t.Errorf("stdout = %q, want %q", out, want)
			}
			got := api.seen()[i]
			tt.want.Path, tt.want.Auth = "/api/v1/uploads?x=1", "Bearer "+sess.AccessToken
			if got != tt.want {
				t.Errorf("request = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestAPIErrors(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	_, refusing := newDataAPI(t, http.StatusUnauthorized, `{}`)
	_, forbidding := newDataAPI(t, http.StatusForbidden, `{"detail":"you are not a member of this upload"}`)
	server := map[string]string{"HUBAUTH_SERVER": h.URL}
	r := h.exec(cmd{args: []string{"api", "/api/v1/users/me"}, env: server})
	wantFailure(t, r, ExitAuthNeeded, "authentication required: run hubauth login (not logged in to "+h.URL+")")

	h.login()
	tests := []struct {
		target string
		code   int
		msg    string
	}{
		{refusing + "/api/v1/uploads", ExitAuthNeeded, "authentication required: run hubauth login (the server said: client: 401 Unauthorized: invalid_token: unknown issuer)"},
		{forbidding + "/api/v1/uploads/u1", ExitError, "403 Forbidden: you are not a member of this upload"},
		{"/api/v1/auth/app_token", ExitError, "422 Unprocessable Entity: invalid_request: expires_in is required once"},
		{"/api/v1/no-such-thing", ExitError, "404 Not Found"},
		{"http://127.0.0.1:1/x", ExitError, "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			r := h.run("", "api", tt.target)
			wantFailure(t, r, tt.code, tt.msg)
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
}

func TestAPIPublicWithoutSession(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	out := h.exec(cmd{args: []string{"api", "/.well-known/openid-configuration"}, env: map[string]string{"HUBAUTH_SERVER": h.URL}}).stdout
	var doc map[string]any
	mustJSON(t, out, &doc)
	if doc["issuer"] != h.URL || !strings.Contains(out, "\n  \"issuer\"") {
		t.Errorf("discovery document = %q", out)
	}
}
