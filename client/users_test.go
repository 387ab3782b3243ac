package client_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/client"
)

// TestUsersAndGroups looks users up by id and username (e-mail only for
// oneself) and lists groups and their members (CAVE's
// get_user_information and get_group_users).
func TestUsersAndGroups(t *testing.T) {
	h := newHub(t)
	h.AddUser(t, "bob", "bob's password")
	ctx := context.Background()
	c, _ := loggedIn(t, h)
	me, err := h.Store.GetUserByUsername(ctx, demoUser)
	if err != nil {
		t.Fatal(err)
	}
	bob, _ := h.Store.GetUserByUsername(ctx, "bob")

	got, err := c.Users(ctx, []string{me.ID}, []string{"bob", "nobody", demoUser})
	if err != nil {
		t.Fatalf("Users: %v", err)
	}
	want := []client.User{
		{ID: me.ID, Username: demoUser, Name: "Ada", Email: "ada@example.org"},
		{ID: bob.ID, Username: "bob", Name: "Bob"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Users (-want +got):\n%s", diff)
	}
	if _, err := c.Users(ctx, nil, nil); err == nil {
		t.Error("Users with nothing to look up succeeded")
	}

	h.AddGroup(t, "nmr", me.ID, bob.ID)
	h.AddGroup(t, "staff", bob.ID)
	groups, err := c.Groups(ctx)
	if err != nil || !slices.Equal(groups, []string{"nmr"}) {
		t.Errorf("Groups = %v, %v; want [nmr]", groups, err)
	}
	members, err := c.GroupMembers(ctx, "nmr")
	if err != nil {
		t.Fatalf("GroupMembers: %v", err)
	}
	names := []string{}
	for _, m := range members {
		names = append(names, m.Username)
		if m.Email != "" {
			t.Errorf("member %s has an e-mail address %q: members are listed without", m.Username, m.Email)
		}
	}
	if slices.Sort(names); !slices.Equal(names, []string{"ada", "bob"}) {
		t.Errorf("GroupMembers(nmr) = %v, want ada and bob", names)
	}
	for _, g := range []string{"staff", "missing"} {
		if _, err := c.GroupMembers(ctx, g); !errors.Is(err, client.ErrNotFound) {
			t.Errorf("GroupMembers(%s) = %v, want ErrNotFound", g, err)
		}
	}
}
