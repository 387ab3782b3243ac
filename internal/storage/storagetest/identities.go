package storagetest

import (
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

var identityTests = []subtest{
	{"UserIdentityCRUD", testIdentityCRUD},
	{"UserIdentityErrors", testIdentityErrors},
	{"ProvisionUser", testProvisionUser},
	{"DeleteUserIdentity", testDeleteIdentity},
	{"UnlinkIdentity", testUnlinkIdentity},
	{"CountProviderIdentities", testCountProviderIdentities},
	{"UserIdentityProviderDeleted", testIdentityProviderDeleted},
	{"ProvisionUserConcurrentUsername", testProvisionConcurrentUsername},
	{"ProvisionUserConcurrentIdentity", testProvisionConcurrentIdentity},
	{"DeleteUserIdentityConcurrent", testDeleteIdentityConcurrent},
}

// newIdentity is an identity with every field but LastLoginAt set.
func newIdentity(provider, subject, userID string) storage.UserIdentity {
	return storage.UserIdentity{Provider: provider, Subject: subject, UserID: userID, CreatedAt: at(time.Minute)}
}

// createIDPs stores a provider of each name.
func createIDPs(t *testing.T, s storage.Storage, names ...string) {
	t.Helper()
	for _, n := range names {
		must(t, "CreateIdentityProvider", s.CreateIdentityProvider(t.Context(), newIDP(n, at(0))))
	}
}

// createIdentities links each identity.
func createIdentities(t *testing.T, s storage.Storage, ids ...storage.UserIdentity) {
	t.Helper()
	for _, id := range ids {
		must(t, "CreateUserIdentity", s.CreateUserIdentity(t.Context(), id))
	}
}

// passwordless is newUser without a password: identities are its only way in.
func passwordless(id, username string) storage.User {
	u := newUser(id, username)
	u.PasswordHash = ""
	return u
}

// listIdentities lists userID's identities, failing the test on error.
func listIdentities(t *testing.T, s storage.Storage, userID string) []storage.UserIdentity {
	t.Helper()
	ids, err := s.ListUserIdentities(t.Context(), userID)
	must(t, "ListUserIdentities", err)
	return ids
}

func testIdentityCRUD(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createIDPs(t, s, "orcid", "egi")
	createUsers(t, s, newUser("u-1", "alice"), newUser("u-2", "bob"))
	// Bytewise order: "Z" sorts before "a", "egi" before "orcid".
	orcid, egiA, egiZ := newIdentity("orcid", "0000-0001", "u-1"), newIdentity("egi", "a", "u-1"), newIdentity("egi", "Z", "u-1")
	sameSub := newIdentity("egi", "0000-0001", "u-2") // a subject is per provider
	createIdentities(t, s, orcid, egiA, egiZ, sameSub)

	got, err := s.GetUserIdentity(ctx, "egi", "a")
	checkErr(t, "GetUserIdentity", err, nil)
	diff(t, "GetUserIdentity", got, egiA)
	diff(t, "ListUserIdentities(u-1)", listIdentities(t, s, "u-1"), []storage.UserIdentity{egiZ, egiA, orcid})
	diff(t, "ListUserIdentities(u-2)", listIdentities(t, s, "u-2"), []storage.UserIdentity{sameSub})
	diff(t, "ListUserIdentities(unknown user)", listIdentities(t, s, "u-none"), []storage.UserIdentity{})

	checkErr(t, "TouchUserIdentity", s.TouchUserIdentity(ctx, "egi", "a", at(time.Hour)), nil)
	want := egiA
	want.LastLoginAt = at(time.Hour)
	got, err = s.GetUserIdentity(ctx, "egi", "a")
	checkErr(t, "GetUserIdentity", err, nil)
	diff(t, "GetUserIdentity after TouchUserIdentity", got, want)
	got, err = s.GetUserIdentity(ctx, "egi", "Z")
	checkErr(t, "GetUserIdentity", err, nil)
	diff(t, "another identity after TouchUserIdentity (unchanged)", got, egiZ)
}

func testIdentityErrors(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createIDPs(t, s, "orcid")
	createUsers(t, s, newUser("u-1", "alice"), newUser("u-2", "bob"))
	id := newIdentity("orcid", "sub-1", "u-1")
	createIdentities(t, s, id)

	tests := []struct {
		name string
		id   storage.UserIdentity
		want error
	}{
		{"linked to another user", newIdentity("orcid", "sub-1", "u-2"), storage.ErrAlreadyExists},
		{"linked to the same user", newIdentity("orcid", "sub-1", "u-1"), storage.ErrAlreadyExists},
		{"unknown user", newIdentity("orcid", "sub-2", "u-none"), storage.ErrNotFound},
		{"unknown provider", newIdentity("none", "sub-2", "u-1"), storage.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, "CreateUserIdentity", s.CreateUserIdentity(ctx, tt.id), tt.want)
		})
	}
	got, err := s.GetUserIdentity(ctx, "orcid", "sub-1")
	checkErr(t, "GetUserIdentity", err, nil)
	diff(t, "identity after refused links (unchanged)", got, id)
	diff(t, "ListUserIdentities(u-2) after refused links", listIdentities(t, s, "u-2"), []storage.UserIdentity{})

	_, err = s.GetUserIdentity(ctx, "orcid", "sub-2")
	checkErr(t, "GetUserIdentity(unknown subject)", err, storage.ErrNotFound)
	_, err = s.GetUserIdentity(ctx, "none", "sub-1")
	checkErr(t, "GetUserIdentity(unknown provider)", err, storage.ErrNotFound)
	checkErr(t, "TouchUserIdentity(unknown)", s.TouchUserIdentity(ctx, "orcid", "sub-2", at(time.Hour)), storage.ErrNotFound)
}

func testProvisionUser(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createIDPs(t, s, "orcid")
	createUsers(t, s, newUser("u-1", "alice"))
	createIdentities(t, s, newIdentity("orcid", "taken", "u-1"))

	carol := passwordless("u-3", "carol")
	id := newIdentity("orcid", "sub-carol", "")
	checkErr(t, "ProvisionUser", s.ProvisionUser(ctx, carol, id), nil)
	got, err := s.GetUserByUsername(ctx, "carol")
	checkErr(t, "GetUserByUsername", err, nil)
	diff(t, "provisioned user", got, carol)
	id.UserID = "u-3"
	diff(t, "ListUserIdentities(provisioned)", listIdentities(t, s, "u-3"), []storage.UserIdentity{id})

	tests := []struct {
		name string
		u    storage.User
		id   storage.UserIdentity
		want error
	}{
		{"username taken", passwordless("u-4", "alice"), newIdentity("orcid", "sub-4", "u-4"), storage.ErrAlreadyExists},
		{"user id taken", passwordless("u-1", "dave"), newIdentity("orcid", "sub-4", "u-1"), storage.ErrAlreadyExists},
		{"identity taken", passwordless("u-4", "dave"), newIdentity("orcid", "taken", "u-4"), storage.ErrAlreadyExists},
		{"unknown provider", passwordless("u-4", "dave"), newIdentity("none", "sub-4", "u-4"), storage.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, "ProvisionUser", s.ProvisionUser(ctx, tt.u, tt.id), tt.want)
			_, err := s.GetUserByUsername(ctx, "dave")
			checkErr(t, "GetUserByUsername(dave) after a refused ProvisionUser", err, storage.ErrNotFound)
			_, err = s.GetUserIdentity(ctx, "orcid", "sub-4")
			checkErr(t, "GetUserIdentity after a refused ProvisionUser", err, storage.ErrNotFound)
			diff(t, "ListUserIdentities(u-4) after a refused ProvisionUser", listIdentities(t, s, "u-4"), []storage.UserIdentity{})
		})
	}
	alice, err := s.GetUser(ctx, "u-1")
	checkErr(t, "GetUser", err, nil)
	diff(t, "existing user after refused ProvisionUser (unchanged)", alice, newUser("u-1", "alice"))
	diff(t, "existing user's identities (unchanged)", listIdentities(t, s, "u-1"),
		[]storage.UserIdentity{newIdentity("orcid", "taken", "u-1")})
}

func testIdentityProviderDeleted(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createIDPs(t, s, "orcid", "egi")
	createUsers(t, s, newUser("u-1", "alice"))
	egi := newIdentity("egi", "sub-1", "u-1")
	createIdentities(t, s, newIdentity("orcid", "sub-1", "u-1"), egi)

	must(t, "DeleteIdentityProvider", s.DeleteIdentityProvider(ctx, "orcid"))
	_, err := s.GetUserIdentity(ctx, "orcid", "sub-1")
	checkErr(t, "GetUserIdentity(deleted provider)", err, storage.ErrNotFound)
	diff(t, "ListUserIdentities after DeleteIdentityProvider", listIdentities(t, s, "u-1"), []storage.UserIdentity{egi})
	must(t, "CreateIdentityProvider(same name)", s.CreateIdentityProvider(ctx, newIDP("orcid", at(time.Hour))))
	_, err = s.GetUserIdentity(ctx, "orcid", "sub-1")
	checkErr(t, "GetUserIdentity(provider added again)", err, storage.ErrNotFound)
}
