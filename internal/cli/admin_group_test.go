package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGroups(t *testing.T) {
	h := newTestHub(t)
	h.mustRun("pw\n", "admin", "user", "add", "ada", "--password-stdin")
	h.mustRun("pw\n", "admin", "user", "add", "bob", "--password-stdin")
	h.mustRun("", "admin", "group", "add", "nmr-staff")
	h.mustRun("", "admin", "group", "add", "admins")
	h.mustRun("", "admin", "group", "add-member", "nmr-staff", "ada")
	h.mustRun("", "admin", "group", "add-member", "nmr-staff", "bob")
	h.mustRun("", "admin", "group", "remove-member", "nmr-staff", "bob")

	s := h.store()
	ada, err := s.GetUserByUsername(t.Context(), "ada")
	if err != nil {
		t.Fatal(err)
	}
	if e := lastAudit(t, s); e.Detail != "remove user bob from group nmr-staff" {
		t.Errorf("audit detail = %q", e.Detail)
	}
	groups, err := s.ListUserGroups(t.Context(), ada.ID)
	if diff := cmp.Diff([]string{"nmr-staff"}, groups); err != nil || diff != "" {
		t.Errorf("ada's groups: %v, mismatch (-want +got):\n%s", err, diff)
	}

	var list []struct{ Name string }
	if err := json.Unmarshal([]byte(h.mustRun("", "admin", "group", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]struct{ Name string }{{"admins"}, {"nmr-staff"}}, list); diff != "" {
		t.Errorf("group list --json mismatch (-want +got):\n%s", diff)
	}
	members := h.mustRun("", "admin", "group", "members", "nmr-staff")
	if !strings.Contains(members, "ada") || strings.Contains(members, "bob") {
		t.Errorf("group members nmr-staff = %q, want ada only", members)
	}
	if table := h.mustRun("", "admin", "group", "list"); !strings.Contains(table, "admins") {
		t.Errorf("group list = %q", table)
	}
}

func TestGroupsBadInput(t *testing.T) {
	h := newTestHub(t)
	h.mustRun("pw\n", "admin", "user", "add", "ada", "--password-stdin")
	h.mustRun("pw\n", "admin", "user", "add", "bob", "--password-stdin")
	h.mustRun("", "admin", "group", "add", "staff")
	h.mustRun("", "admin", "group", "add-member", "staff", "ada")
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"duplicate group", []string{"add", "staff"}, `group "staff" already exists`},
		{"bad group name", []string{"add", "a/b"}, `invalid group name "a/b"`},
		{"add to unknown group", []string{"add-member", "nope", "ada"}, `no group "nope"`},
		{"add unknown user", []string{"add-member", "staff", "carol"}, `no user "carol"`},
		{"add twice", []string{"add-member", "staff", "ada"}, `user "ada" is already a member of group "staff"`},
		{"remove from unknown group", []string{"remove-member", "nope", "ada"}, `no group "nope"`},
		{"remove non-member", []string{"remove-member", "staff", "bob"}, `user "bob" is not a member of group "staff"`},
		{"members of unknown group", []string{"members", "nope"}, `no group "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFailure(t, h.run("", append([]string{"admin", "group"}, tt.args...)...), ExitError, tt.msg)
		})
	}
}
