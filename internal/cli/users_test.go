package cli

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestUsersShow looks users up by username and id (CAVE's
// get_user_information): e-mail only for oneself.
func TestUsersShow(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.AddUser(t, "bob", "bob's password")
	h.login()
	bob, err := h.Store.GetUserByUsername(context.Background(), "bob")
	if err != nil {
		t.Fatal(err)
	}

	out := h.mustRun("", "users", "show", "ada", bob.ID)
	for _, want := range []string{"ID", "USERNAME", "NAME", "EMAIL", "ada@example.org", bob.ID, "Bob"} {
		if !strings.Contains(out, want) {
			t.Errorf("users show = %q, want it to contain %q", out, want)
		}
	}
	if strings.Contains(out, "bob@example.org") {
		t.Errorf("users show shows another user's e-mail:\n%s", out)
	}

	var users []map[string]any
	mustJSON(t, h.mustRun("", "users", "show", "bob", "--json"), &users)
	if len(users) != 1 || !slices.Equal(jsonKeys(users[0]), []string{"email", "id", "name", "username"}) ||
		users[0]["id"] != bob.ID || users[0]["email"] != "" {
		t.Errorf("users show --json = %v, want bob with id, username, name and an empty email", users)
	}

	r := h.run("", "users", "show", "bob", "nobody")
	wantFailure(t, r, ExitError, `no user with id or username "nobody"`)
	if !strings.Contains(r.stdout, "bob") {
		t.Errorf("users show with one unknown: stdout %q, want bob still shown", r.stdout)
	}
	wantFailure(t, h.run("", "users", "show"), ExitUsage, "missing ID-or-USERNAME")
}

// TestGroupsCommands lists the user's groups and a group's members
// (CAVE's get_group_users); other groups are not found.
func TestGroupsCommands(t *testing.T) {
	t.Parallel()
	h := newUserHub(t)
	h.AddUser(t, "bob", "bob's password")
	h.login()
	wantFailure(t, h.run("", "groups", "members", "nmr"), ExitError, `no group "nmr"`)
	ctx := context.Background()
	ada, _ := h.Store.GetUserByUsername(ctx, demoUser)
	bob, _ := h.Store.GetUserByUsername(ctx, "bob")
	h.AddGroup(t, "nmr", ada.ID, bob.ID)
	h.AddGroup(t, "staff", bob.ID)

	if got := h.mustRun("", "groups", "list"); got != "nmr\n" {
		t.Errorf("groups list = %q, want nmr", got)
	}
	if got := h.mustRun("", "groups", "list", "--json"); got != "[\n  {\n    \"name\": \"nmr\"\n  }\n]\n" {
		t.Errorf("groups list --json = %q", got)
	}

	out := h.mustRun("", "groups", "members", "nmr")
	for _, want := range []string{"USERNAME", ada.ID, "ada", "Bob"} {
		if !strings.Contains(out, want) {
			t.Errorf("groups members = %q, want it to contain %q", out, want)
		}
	}
	if strings.Contains(out, "EMAIL") || strings.Contains(out, "@") {
		t.Errorf("groups members shows e-mail addresses:\n%s", out)
	}
	var members []map[string]any
	mustJSON(t, h.mustRun("", "groups", "members", "nmr", "--json"), &members)
	if len(members) != 2 || !slices.Equal(jsonKeys(members[0]), []string{"email", "id", "name", "username"}) {
		t.Errorf("groups members --json = %v, want two users with id, username, name, email", members)
	}

	wantFailure(t, h.run("", "groups", "members", "staff"), ExitError, `no group "staff" of yours`)
	wantFailure(t, h.run("", "groups", "members"), ExitUsage, "missing GROUP")
	wantFailure(t, h.run("", "groups", "lst"), ExitUsage, `did you mean "list"`)
}
