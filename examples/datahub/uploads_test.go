package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// nomadFields are the fields of an upload in the NOMAD seed's output, in
// its order.
var nomadFields = []string{"process_running", "current_process", "process_status", "last_status_message", "errors",
	"warnings", "complete_time", "upload_id", "upload_name", "upload_create_time", "main_author", "coauthors",
	"coauthor_groups", "reviewers", "reviewer_groups", "writers", "writer_groups", "viewers", "viewer_groups",
	"published", "published_to", "with_embargo", "embargo_length", "license", "entries", "upload_files_server_path"}

// keys returns the keys of a JSON object in their order.
func keys(t *testing.T, obj json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(obj)))
	var out []string
	dec.Token() // {
	for dec.More() {
		k, _ := dec.Token()
		out = append(out, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestCreateUpload(t *testing.T) {
	h := newHub(t)
	ada := h.addUser(t, "ada")
	d := newDatahub(t, h)
	r := d.do(http.MethodPost, "/api/v1/uploads", h.token(t, "ada", ""), map[string]string{"upload_name": "FAIRmat_logo.png"})
	if r.Status != http.StatusCreated || !strings.HasPrefix(r.Header.Get("Location"), "/api/v1/uploads/") {
		t.Fatalf("POST: %d %v %s", r.Status, r.Header, r.Body)
	}
	var out struct {
		UploadID string          `json:"upload_id"`
		Data     json.RawMessage `json:"data"`
	}
	r.decode(t, &out)
	if got := keys(t, out.Data); !slices.Equal(got, nomadFields) {
		t.Errorf("fields:\n%s", cmp.Diff(nomadFields, got))
	}
	var u Upload
	json.Unmarshal(out.Data, &u)
	want := Upload{ProcessRunning: false, CurrentProcess: "process_upload", ProcessStatus: "SUCCESS",
		LastStatusMessage: "Process process_upload completed successfully", Errors: []string{}, Warnings: []string{},
		CompleteTime: u.UploadCreateTime, UploadID: out.UploadID, UploadName: "FAIRmat_logo.png", UploadCreateTime: u.UploadCreateTime,
		MainAuthor: ada, Coauthors: []string{}, CoauthorGroups: []string{}, Reviewers: []string{}, ReviewerGroups: []string{},
		Writers: []string{ada}, WriterGroups: []string{}, Viewers: []string{ada}, ViewerGroups: []string{},
		PublishedTo: []string{}, License: "CC BY 4.0", UploadFilesServerPath: u.UploadFilesServerPath}
	if diff := cmp.Diff(want, u); diff != "" {
		t.Errorf("upload (-want +got):\n%s", diff)
	}
	if len(u.UploadID) != 22 || len(u.UploadCreateTime) != len("2024-07-16T13:57:53.308000") ||
		!strings.HasSuffix(u.UploadFilesServerPath, "/staging/"+u.UploadID[:1]+"/"+u.UploadID) {
		t.Errorf("id %q, time %q, path %q are not in NOMAD's form", u.UploadID, u.UploadCreateTime, u.UploadFilesServerPath)
	}
}

func TestMyUploadsByRole(t *testing.T) {
	h := newHub(t)
	h.addUser(t, "ada")
	bob := h.addUser(t, "bob")
	h.addUser(t, "carol", "lab")
	h.addUser(t, "dave", "other")
	h.addUser(t, "erin", "lab")
	d := newDatahub(t, h)
	adaToken := h.token(t, "ada", "")
	d.create(adaToken, map[string]any{"upload_name": "private"})
	d.create(adaToken, map[string]any{"upload_name": "with bob", "coauthors": []string{bob}})
	d.create(adaToken, map[string]any{"upload_name": "for the lab", "reviewer_groups": []string{"lab"}})
	const groups = "openid profile groups uploads:read"
	for _, tc := range []struct {
		user, scope string
		want        []string
	}{
		{"ada", "", []string{"private", "with bob", "for the lab"}},
		{"bob", "", []string{"with bob"}},
		{"carol", groups, []string{"for the lab"}},
		{"dave", groups, []string{}},
		{"erin", "openid profile uploads:read", []string{}}, // no groups scope: the hub does not say erin is in lab
	} {
		if got := d.names("/api/v1/uploads", h.token(t, tc.user, tc.scope)); !slices.Equal(got, tc.want) {
			t.Errorf("%s (scope %q) sees %q, want %q", tc.user, tc.scope, got, tc.want)
		}
	}
	if r := d.do(http.MethodGet, "/api/v1/uploads", "", nil); r.Status != http.StatusUnauthorized || r.Header.Get("WWW-Authenticate") != `Bearer realm="datahub", resource_metadata="`+d.URL+`/.well-known/oauth-protected-resource"` {
		t.Errorf("no token: %d %q, want 401 with a Bearer challenge", r.Status, r.Header.Get("WWW-Authenticate"))
	}
	if r := d.do(http.MethodGet, "/api/v1/uploads", "forged.jwt.token", nil); r.Status != http.StatusUnauthorized || r.errorCode(t) != "invalid_token" {
		t.Errorf("bad token: %d %s, want 401 invalid_token", r.Status, r.Body)
	}
}

func TestPersonalTokenNeedsClientCredentials(t *testing.T) {
	h := newHub(t)
	h.addUser(t, "ada")
	id, sec := h.apiClient(t)
	pat := h.dataPAT(t, "ada")
	with := newDatahub(t, h, "--client-id", id, "--client-secret", sec)
	with.create(pat, map[string]string{"upload_name": "via a personal token"})
	if got := with.names("/api/v1/uploads", pat); !slices.Equal(got, []string{"via a personal token"}) {
		t.Errorf("uploads = %q", got)
	}
	without := newDatahub(t, h)
	if r := without.do(http.MethodGet, "/api/v1/uploads", pat, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("no client credentials: %d %s, want 401", r.Status, r.Body)
	}
}

// TestMissingScopes: the data hub requires uploads:read and uploads:write
// by default and answers a token without one as NOMAD does (403, its
// detail, the list in Python's repr) with RFC 6750's challenge.
func TestMissingScopes(t *testing.T) {
	h := newHub(t)
	h.addUser(t, "ada")
	id, sec := h.apiClient(t)
	d := newDatahub(t, h, "--client-id", id, "--client-secret", sec)
	open := newDatahub(t, h, "--read-scope", "", "--write-scope", "")
	reader := h.pat(t, h.hubToken(t, "ada"), "uploads:read")
	readOnly, writeOnly := h.token(t, "ada", "openid profile uploads:read"), h.token(t, "ada", "openid uploads:write")
	published := d.create(h.token(t, "ada", ""), map[string]string{"upload_name": "mine"}).UploadID
	const upload = `{"upload_name": "x"}`
	for _, tc := range []struct {
		name, method, path, token string
		d                         *datahub
		status                    int
		missing                   string // the scope named in the 403
	}{
		{"create without uploads:write", "POST", "/api/v1/uploads", readOnly, d, http.StatusForbidden, "uploads:write"},
		{"create with uploads:write", "POST", "/api/v1/uploads", writeOnly, d, http.StatusCreated, ""},
		{"list without uploads:read", "GET", "/api/v1/uploads", writeOnly, d, http.StatusForbidden, "uploads:read"},
		{"list with uploads:read", "GET", "/api/v1/uploads", readOnly, d, http.StatusOK, ""},
		{"publish without uploads:write", "POST", "/api/v1/uploads/" + published + "/action/publish", readOnly, d, http.StatusForbidden, "uploads:write"},
		{"personal token with uploads:read lists", "GET", "/api/v1/uploads", reader, d, http.StatusOK, ""},
		{"personal token with uploads:read cannot create", "POST", "/api/v1/uploads", reader, d, http.StatusForbidden, "uploads:write"},
		{"no scope checked: create", "POST", "/api/v1/uploads", readOnly, open, http.StatusCreated, ""},
		{"no scope checked: list", "GET", "/api/v1/uploads", writeOnly, open, http.StatusOK, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.method == http.MethodPost && !strings.Contains(tc.path, "publish") {
				body = upload
			}
			r := tc.d.do(tc.method, tc.path, tc.token, body)
			if r.Status != tc.status {
				t.Fatalf("%s %s: %d %s, want %d", tc.method, tc.path, r.Status, r.Body, tc.status)
			}
			tc.d.checkAnswer(tc.method, tc.path, r)
			if tc.missing == "" {
				return
			}
			wantBody := `{"detail":"Missing scopes: ['` + tc.missing + `']"}`
			wantChallenge := `Bearer realm="datahub", error="insufficient_scope", error_description="the token lacks the scope ` +
				tc.missing + `", scope="` + tc.missing + `", resource_metadata="` + d.URL + `/.well-known/oauth-protected-resource"`
			if got := strings.TrimSpace(string(r.Body)); got != wantBody || r.Header.Get("Content-Type") != "application/json" {
				t.Errorf("body %s (%s), want NOMAD's %s", got, r.Header.Get("Content-Type"), wantBody)
			}
			if got := r.Header.Get("WWW-Authenticate"); got != wantChallenge {
				t.Errorf("WWW-Authenticate = %q, want %q", got, wantChallenge)
			}
		})
	}
}

func TestPyList(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"uploads:write"}, "['uploads:write']"},
		{[]string{"uploads:read", "uploads:write"}, "['uploads:read', 'uploads:write']"},
		{[]string{"it's"}, `["it's"]`},
		{nil, "[]"},
	} {
		if got := pyList(tc.in); got != tc.want {
			t.Errorf("pyList(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
