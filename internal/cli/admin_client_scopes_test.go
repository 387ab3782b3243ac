package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hubauth/hubauth/internal/storage"
)

// TestClientSetScopes: an operator restricts a client to some scopes (or
// lifts the restriction); client list shows them, and an unrestricted
// client (one registered before scopes were per client) as such.
func TestClientSetScopes(t *testing.T) {
	h := newTestHub(t)
	h.mustRun("", "admin", "scope", "add", "uploads:write", "--description", "create uploads")
	h.mustRun("", "admin", "client", "add", "etl", "--name", "ETL", "--grant", "client_credentials")
	s := h.store()
	if err := s.CreateClient(t.Context(), storage.Client{ID: "legacy", Name: "Legacy"}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		args         []string
		message      string
		restrict     bool
		allowed      []string
		tableContain string
	}{
		{[]string{"etl", "uploads:write,openid"}, `Client "etl" may ask for uploads:write openid.`, true,
			[]string{"uploads:write", "openid"}, "uploads:write,openid"},
		{[]string{"etl", "--unrestricted"}, `Client "etl" may ask for any scope.`, false, nil, "any (unrestricted)"},
	}
	for _, st := range steps {
		r := h.run("", append([]string{"admin", "client", "set-scopes"}, st.args...)...)
		if r.code != ExitOK || strings.TrimSpace(r.stderr) != st.message {
			t.Fatalf("set-scopes %q: exit %d, stderr %q; want %q", st.args, r.code, r.stderr, st.message)
		}
		c, err := s.GetClient(t.Context(), "etl")
		if err != nil || c.RestrictScopes != st.restrict || !cmp.Equal(c.AllowedScopes, st.allowed, cmpopts.EquateEmpty()) {
			t.Errorf("after set-scopes %q: RestrictScopes %t, AllowedScopes %q (%v); want %t, %q", st.args, c.RestrictScopes, c.AllowedScopes, err, st.restrict, st.allowed)
		}
		if e := lastAudit(t, s); e.ClientID != "etl" || !strings.HasPrefix(e.Detail, "set scopes of client etl: ") {
			t.Errorf("audit event = %+v", e)
		}
		if table := h.mustRun("", "admin", "client", "list"); !strings.Contains(clientLine(table, "etl"), st.tableContain) {
			t.Errorf("client list after set-scopes %q:\n%s\nwant etl's line to show %q", st.args, table, st.tableContain)
		}
	}
	if line := clientLine(h.mustRun("", "admin", "client", "list"), "legacy"); !strings.Contains(line, "any (unrestricted)") {
		t.Errorf("client list shows the legacy client as %q, want it unrestricted", line)
	}
	var listed []map[string]any
	if err := json.Unmarshal([]byte(h.mustRun("", "admin", "client", "list", "--json")), &listed); err != nil {
		t.Fatal(err)
	}
	for _, c := range listed {
		if c["id"] == "legacy" && (c["scopes_unrestricted"] != true || len(c["scopes"].([]any)) != 0) {
			t.Errorf("client list --json: legacy = %v, want scopes [] and scopes_unrestricted true", c)
		}
	}

	bad := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown scope", []string{"etl", "openid,uploads:read"}, ExitError, `unknown scope "uploads:read"; valid scopes: openid`},
		{"no scopes", []string{"etl", ","}, ExitError, "no scopes given"},
		{"unknown client", []string{"nope", "openid"}, ExitError, `no client "nope"`},
		{"missing scopes", []string{"etl"}, ExitUsage, "missing SCOPES"},
		{"scopes and --unrestricted", []string{"etl", "openid", "--unrestricted"}, ExitUsage, `unexpected argument "openid"`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			wantFailure(t, h.run("", append([]string{"admin", "client", "set-scopes"}, tt.args...)...), tt.code, tt.msg)
		})
	}
}

// clientLine is the line of client id in a client list table.
func clientLine(table, id string) string {
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, id+" ") {
			return line
		}
	}
	return ""
}
