package storagetest

import (
	"context"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

var userTests = []subtest{
	{"UserCRUD", testUserCRUD},
	{"UserUniqueness", testUserUniqueness},
	{"UserUpdate", testUserUpdate},
	{"UpdatePanicReleasesStore", testUpdatePanic},
	{"LookupByInvalidUTF8", testLookupByInvalidUTF8},
	{"UsersByEmail", testUsersByEmail},
}

var groupTests = []subtest{
	{"GroupMembers", testGroupMembers},
	{"GroupErrors", testGroupErrors},
}

// newUser is a user with every field set.
func newUser(id, username string) storage.User {
	return storage.User{
		ID:            id,
		Username:      username,
		Name:          "Name of " + username,
		Email:         username + "@example.org",
		EmailVerified: true,
		PasswordHash:  "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA",
		Admin:         id == "u-admin",
		CreatedAt:     at(0),
	}
}

func createUsers(t *testing.T, s storage.Storage, us ...storage.User) {
	t.Helper()
	for _, u := range us {
		must(t, "CreateUser", s.CreateUser(t.Context(), u))
	}
}

func testUserCRUD(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	zoe, adam := newUser("u-1", "zoe"), newUser("u-2", "adam")
	adam.Disabled = true
	adam.PasswordHash = ""
	createUsers(t, s, zoe, adam)

	got, err := s.GetUser(ctx, zoe.ID)
	checkErr(t, "GetUser", err, nil)
	diff(t, "GetUser", got, zoe)
	got, err = s.GetUserByUsername(ctx, "adam")
	checkErr(t, "GetUserByUsername", err, nil)
	diff(t, "GetUserByUsername", got, adam)

	list, err := s.ListUsers(ctx)
	checkErr(t, "ListUsers", err, nil)
	diff(t, "ListUsers (by username)", list, []storage.User{adam, zoe})

	_, err = s.GetUser(ctx, "u-none")
	checkErr(t, "GetUser(unknown)", err, storage.ErrNotFound)
	_, err = s.GetUserByUsername(ctx, "nobody")
	checkErr(t, "GetUserByUsername(unknown)", err, storage.ErrNotFound)
}

func testUserUniqueness(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createUsers(t, s, newUser("u-1", "zoe"))
	err := s.CreateUser(ctx, newUser("u-1", "other"))
	checkErr(t, "CreateUser(same id)", err, storage.ErrAlreadyExists)
	err = s.CreateUser(ctx, newUser("u-2", "zoe"))
	checkErr(t, "CreateUser(same username)", err, storage.ErrAlreadyExists)
	list, err := s.ListUsers(ctx)
	checkErr(t, "ListUsers", err, nil)
	diff(t, "ListUsers", list, []storage.User{newUser("u-1", "zoe")})
}

func testUserUpdate(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	zoe, adam := newUser("u-1", "zoe"), newUser("u-2", "adam")
	createUsers(t, s, zoe, adam)

	want := zoe
	want.Username, want.Name, want.Admin, want.EmailVerified = "zoe2", "Zoe Two", true, false
	err := s.UpdateUser(ctx, zoe.ID, func(old storage.User) (storage.User, error) {
		diff(t, "UpdateUser callback argument", old, zoe)
		old.Username, old.Name, old.Admin, old.EmailVerified = "zoe2", "Zoe Two", true, false
		return old, nil
	})
	checkErr(t, "UpdateUser", err, nil)
	got, err := s.GetUserByUsername(ctx, "zoe2")
	checkErr(t, "GetUserByUsername(new name)", err, nil)
	diff(t, "user after UpdateUser", got, want)

	err = s.UpdateUser(ctx, zoe.ID, func(u storage.User) (storage.User, error) {
		u.Username = "adam"
		return u, nil
	})
	checkErr(t, "UpdateUser(taken username)", err, storage.ErrAlreadyExists)
	err = s.UpdateUser(ctx, zoe.ID, refuse[storage.User])
	if err != errUpdate {
		t.Errorf("UpdateUser(failing callback) = %v, want the callback's error unchanged", err)
	}
	got, err = s.GetUser(ctx, zoe.ID)
	checkErr(t, "GetUser", err, nil)
	diff(t, "user after failed updates", got, want)

	err = s.UpdateUser(ctx, "u-none", refuse[storage.User])
	checkErr(t, "UpdateUser(unknown)", err, storage.ErrNotFound)
}

// testUpdatePanic checks that a panicking update callback (recovered by the
// caller, as net/http does) writes nothing and leaves the store usable.
func testUpdatePanic(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createUsers(t, s, newUser("u-1", "zoe"))
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("UpdateUser: the callback's panic did not reach the caller")
			}
		}()
		_ = s.UpdateUser(ctx, "u-1", func(u storage.User) (storage.User, error) {
			panic("storagetest: callback panic")
		})
	}()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second) // a stuck writer fails, not hangs
	defer cancel()
	checkErr(t, "CreateUser after a panicking update", s.CreateUser(ctx, newUser("u-2", "adam")), nil)
	got, err := s.GetUser(ctx, "u-1")
	checkErr(t, "GetUser", err, nil)
	diff(t, "user after a panicking update", got, newUser("u-1", "zoe"))
}

func testGroupMembers(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	zoe, adam, eve := newUser("u-1", "zoe"), newUser("u-2", "adam"), newUser("u-3", "eve")
	createUsers(t, s, zoe, adam, eve)
	staff, nmr := storage.Group{Name: "staff", CreatedAt: at(1)}, storage.Group{Name: "nmr", CreatedAt: at(2)}
	must(t, "CreateGroup", s.CreateGroup(ctx, staff))
	must(t, "CreateGroup", s.CreateGroup(ctx, nmr))
	for _, m := range [][2]string{{"staff", zoe.ID}, {"staff", adam.ID}, {"nmr", zoe.ID}} {
		checkErr(t, "AddGroupMember("+m[0]+", "+m[1]+")", s.AddGroupMember(ctx, m[0], m[1]), nil)
	}

	groups, err := s.ListGroups(ctx)
	checkErr(t, "ListGroups", err, nil)
	diff(t, "ListGroups (by name)", groups, []storage.Group{nmr, staff})
	members, err := s.ListGroupMembers(ctx, "staff")
	checkErr(t, "ListGroupMembers", err, nil)
	diff(t, "ListGroupMembers (by username)", members, []storage.User{adam, zoe})
	names, err := s.ListUserGroups(ctx, zoe.ID)
	checkErr(t, "ListUserGroups", err, nil)
	diff(t, "ListUserGroups", names, []string{"nmr", "staff"})
	names, err = s.ListUserGroups(ctx, eve.ID)
	checkErr(t, "ListUserGroups(no groups)", err, nil)
	diff(t, "ListUserGroups(no groups)", names, []string{})

	checkErr(t, "RemoveGroupMember", s.RemoveGroupMember(ctx, "staff", zoe.ID), nil)
	members, err = s.ListGroupMembers(ctx, "staff")
	checkErr(t, "ListGroupMembers", err, nil)
	diff(t, "ListGroupMembers after removal", members, []storage.User{adam})
	members, err = s.ListGroupMembers(ctx, "nmr")
	checkErr(t, "ListGroupMembers(other group)", err, nil)
	diff(t, "ListGroupMembers(other group)", members, []storage.User{zoe})
}

func testGroupErrors(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createUsers(t, s, newUser("u-1", "zoe"))
	must(t, "CreateGroup", s.CreateGroup(ctx, storage.Group{Name: "staff", CreatedAt: at(0)}))
	checkErr(t, "CreateGroup(same name)", s.CreateGroup(ctx, storage.Group{Name: "staff"}), storage.ErrAlreadyExists)
	must(t, "AddGroupMember", s.AddGroupMember(ctx, "staff", "u-1"))
	checkErr(t, "AddGroupMember(again)", s.AddGroupMember(ctx, "staff", "u-1"), storage.ErrAlreadyExists)
	checkErr(t, "AddGroupMember(unknown user)", s.AddGroupMember(ctx, "staff", "u-none"), storage.ErrNotFound)
	checkErr(t, "AddGroupMember(unknown group)", s.AddGroupMember(ctx, "none", "u-1"), storage.ErrNotFound)
	checkErr(t, "RemoveGroupMember(not a member)", s.RemoveGroupMember(ctx, "staff", "u-none"), storage.ErrNotFound)
	checkErr(t, "RemoveGroupMember(unknown group)", s.RemoveGroupMember(ctx, "none", "u-1"), storage.ErrNotFound)
	_, err := s.ListGroupMembers(ctx, "none")
	checkErr(t, "ListGroupMembers(unknown group)", err, storage.ErrNotFound)
	members, err := s.ListGroupMembers(ctx, "staff")
	checkErr(t, "ListGroupMembers", err, nil)
	diff(t, "ListGroupMembers", members, []storage.User{newUser("u-1", "zoe")})
}

// testLookupByInvalidUTF8: a key that is not UTF-8 (request text, before
// any check) finds nothing, on every backend: ErrNotFound, not a failure
// (PostgreSQL refuses such text; SQLite compares bytes).
func testLookupByInvalidUTF8(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	for _, key := range []string{"\xff", "ada\xc3", "nul\x00"} {
		_, err := s.GetUser(ctx, key)
		checkErr(t, "GetUser", err, storage.ErrNotFound)
		_, err = s.GetUserByUsername(ctx, key)
		checkErr(t, "GetUserByUsername", err, storage.ErrNotFound)
		_, err = s.GetClient(ctx, key)
		checkErr(t, "GetClient", err, storage.ErrNotFound)
	}
}

// testUsersByEmail: GetUsersByEmail finds every user of an address, in
// any case, verified or not, sorted by username; no user is no error.
func testUsersByEmail(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	ada, ada2, bob, blank := newUser("u-1", "ada"), newUser("u-2", "ada2"), newUser("u-3", "bob"), newUser("u-4", "blank")
	ada.Email, ada2.Email, ada2.EmailVerified, blank.Email = "Ada@Example.org", "ada@EXAMPLE.org", false, ""
	createUsers(t, s, ada2, bob, ada, blank)
	tests := []struct {
		email string
		want  []storage.User
	}{
		{"ada@example.org", []storage.User{ada, ada2}},
		{"ADA@example.ORG", []storage.User{ada, ada2}},
		{"bob@example.org", []storage.User{bob}},
		{"nobody@example.org", nil},
		{"ada@example.or", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got, err := s.GetUsersByEmail(ctx, tt.email)
		checkErr(t, "GetUsersByEmail("+tt.email+")", err, nil)
		diff(t, "GetUsersByEmail("+tt.email+")", got, tt.want)
	}
}
