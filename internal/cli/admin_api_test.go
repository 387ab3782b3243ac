package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hubauth/hubauth/internal/cli/admincmd"
	"github.com/hubauth/hubauth/internal/storage"
)

func TestAdminAPI(t *testing.T) {
	h := newTestHub(t)
	for _, sc := range []string{"uploads:read", "uploads:write", "jobs:run"} {
		h.mustRun("", "admin", "scope", "add", sc, "--description", "use "+sc)
	}
	r := h.run("", "admin", "api", "add", "datahub", "--uri", "https://data.example.org",
		"--scopes", "uploads:write,uploads:read", "--name", "Data hub")
	if r.code != ExitOK || !strings.Contains(r.stderr, `Added API "datahub" at https://data.example.org owning 2 scope(s)`) {
		t.Fatalf("api add: exit %d, stderr %q", r.code, r.stderr)
	}
	if e := lastAudit(t, h.store()); e.Type != storage.AuditAdmin || e.Detail != "add api datahub (uri: https://data.example.org; scopes: uploads:read uploads:write)" {
		t.Errorf("audit = %+v, want the addition", e)
	}
	h.mustRun("", "admin", "api", "add", "compute", "--uri", "http://127.0.0.1:9000/api", "--scopes", "jobs:run")

	var list []admincmd.APIJSON
	if err := json.Unmarshal([]byte(h.mustRun("", "admin", "api", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	want := []admincmd.APIJSON{
		{ID: "compute", URI: "http://127.0.0.1:9000/api", Name: "compute", Scopes: []string{"jobs:run"}},
		{ID: "datahub", URI: "https://data.example.org", Name: "Data hub", Scopes: []string{"uploads:read", "uploads:write"}},
	}
	if d := cmp.Diff(want, list, cmpopts.IgnoreFields(admincmd.APIJSON{}, "CreatedAt")); d != "" || list[0].CreatedAt == nil {
		t.Errorf("api list --json mismatch (-want +got):\n%s", d)
	}
	show := h.mustRun("", "admin", "api", "show", "datahub")
	for _, s := range []string{"https://data.example.org", "Data hub", "uploads:read uploads:write"} {
		if !strings.Contains(show, s) {
			t.Errorf("api show lacks %q:\n%s", s, show)
		}
	}
	table := h.mustRun("", "admin", "api", "list")
	if !strings.Contains(table, "URI") || !strings.Contains(table, "uploads:read,uploads:write") {
		t.Errorf("api list:\n%s", table)
	}
	h.mustRun("", "admin", "api", "remove", "compute")
	if e := lastAudit(t, h.store()); e.Detail != "remove api compute" {
		t.Errorf("audit = %+v, want the removal", e)
	}
	if out := h.mustRun("", "admin", "api", "list"); strings.Contains(out, "compute") {
		t.Errorf("api list shows the removed API:\n%s", out)
	}
}

func TestAdminAPIBadInput(t *testing.T) {
	h := newTestHub(t)
	for _, sc := range []string{"uploads:read", "uploads:write"} {
		h.mustRun("", "admin", "scope", "add", sc, "--description", "use "+sc)
	}
	h.mustRun("", "admin", "api", "add", "datahub", "--uri", "https://data.example.org", "--scopes", "uploads:read")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no URI", []string{"add", "x"}, ExitUsage, "--uri is required"},
		{"missing ID", []string{"add"}, ExitUsage, "missing ID"},
		{"http URI", []string{"add", "x", "--uri", "http://data.example.org"}, ExitError, "must use https"},
		{"fragment", []string{"add", "x", "--uri", "https://x.example.org/#a"}, ExitError, "fragment"},
		{"relative URI", []string{"add", "x", "--uri", "/api"}, ExitError, "must be absolute"},
		{"taken ID", []string{"add", "datahub", "--uri", "https://x.example.org"}, ExitError, `API "datahub" already exists`},
		{"taken URI", []string{"add", "x", "--uri", "https://data.example.org"}, ExitError, `API "datahub" already has the URI`},
		{"another API's scope", []string{"add", "x", "--uri", "https://x.example.org", "--scopes", "uploads:write,uploads:read"}, ExitError, `scope "uploads:read" belongs to API "datahub"`},
		{"unregistered scope", []string{"add", "x", "--uri", "https://x.example.org", "--scopes", "nope"}, ExitError, `scope "nope" is not registered`},
		{"built-in scope", []string{"add", "x", "--uri", "https://x.example.org", "--scopes", "openid"}, ExitError, "built into the hub"},
		{"bad ID", []string{"add", "a b", "--uri", "https://x.example.org"}, ExitError, "API ID"},
		{"remove unknown", []string{"remove", "x"}, ExitError, `no API "x"`},
		{"show unknown", []string{"show", "x"}, ExitError, `no API "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFailure(t, h.run("", append([]string{"admin", "api"}, tt.args...)...), tt.code, tt.msg)
		})
	}
	list, err := h.store().ListAPIs(t.Context())
	if err != nil || len(list) != 1 || list[0].ID != "datahub" {
		t.Errorf("after the refused commands the APIs are %+v (%v), want datahub alone", list, err)
	}
}
