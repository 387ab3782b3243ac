package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/cli/admincmd"
	"github.com/hubauth/hubauth/internal/storage"
)

func TestScopes(t *testing.T) {
	h := newTestHub(t)
	r := h.run("", "admin", "scope", "add", "uploads:write", "--description", "create and publish uploads")
	if r.code != ExitOK || !strings.Contains(r.stderr, `Added scope "uploads:write"`) {
		t.Fatalf("scope add: exit %d, stderr %q", r.code, r.stderr)
	}
	h.mustRun("", "admin", "scope", "add", "datasets:read", "--description", "read private datasets")
	h.mustRun("", "admin", "scope", "add", "tmp", "--description", "soon gone")
	h.mustRun("", "admin", "scope", "remove", "tmp")
	if e := lastAudit(t, h.store()); e.Type != storage.AuditAdmin || e.Detail != "remove scope tmp" {
		t.Errorf("audit = %+v, want the removal", e)
	}

	var list []admincmd.ScopeJSON
	if err := json.Unmarshal([]byte(h.mustRun("", "admin", "scope", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	type entry struct {
		Name        string
		Builtin     bool
		HasCreated  bool
		Description string
	}
	var got []entry
	for _, s := range list {
		got = append(got, entry{s.Name, s.Builtin, s.CreatedAt != nil, s.Description})
	}
	if len(got) < 2 {
		t.Fatalf("scope list --json = %+v", list)
	}
	want := []entry{
		{"datasets:read", false, true, "read private datasets"},
		{"uploads:write", false, true, "create and publish uploads"},
	}
	if d := cmp.Diff(want, got[len(got)-2:]); d != "" || got[0] != (entry{"openid", true, false, "know who you are"}) {
		t.Errorf("scope list --json: first %+v, registered mismatch (-want +got):\n%s", got[0], d)
	}
	table := h.mustRun("", "admin", "scope", "list")
	for _, s := range []string{"NAME", "tokens:write", "uploads:write", "create and publish uploads"} {
		if !strings.Contains(table, s) {
			t.Errorf("scope list lacks %q:\n%s", s, table)
		}
	}
	if strings.Contains(table, "tmp") {
		t.Errorf("scope list shows the removed scope:\n%s", table)
	}
}

func TestScopesBadInput(t *testing.T) {
	h := newTestHub(t)
	h.mustRun("", "admin", "scope", "add", "uploads:write", "--description", "create uploads")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no description", []string{"add", "uploads:read"}, ExitUsage, "--description is required"},
		{"empty description", []string{"add", "uploads:read", "--description", ""}, ExitError, "description must be 1 to 200 characters"},
		{"description on two lines", []string{"add", "uploads:read", "--description", "a\nb"}, ExitError, "printable text on one line"},
		{"comma in the name", []string{"add", "a,b", "--description", "x"}, ExitError, `invalid scope name "a,b"`},
		{"built-in name", []string{"add", "tokens:read", "--description", "x"}, ExitError, "built into the hub"},
		{"duplicate", []string{"add", "uploads:write", "--description", "x"}, ExitError, `scope "uploads:write" already exists`},
		{"remove unknown", []string{"remove", "uploads:read"}, ExitError, `no scope "uploads:read"`},
		{"remove built-in", []string{"remove", "openid"}, ExitError, "built into the hub and cannot be removed"},
		{"missing name", []string{"add"}, ExitUsage, "missing NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFailure(t, h.run("", append([]string{"admin", "scope"}, tt.args...)...), tt.code, tt.msg)
		})
	}
	list, err := h.store().ListScopes(t.Context())
	if err != nil || len(list) != 1 || list[0].Description != "create uploads" {
		t.Errorf("after the refused commands the scopes are %+v (%v), want uploads:write unchanged", list, err)
	}
}
