package storagetest

import (
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

var idpTests = []subtest{
	{"IdentityProviderCRUD", testIDPCRUD},
	{"IdentityProviderUpdate", testIDPUpdate},
	{"IdentityProviderListEmpty", testIDPListEmpty},
}

// newIDP is a provider with every field set.
func newIDP(name string, created time.Time) storage.IdentityProvider {
	return storage.IdentityProvider{
		Name: name, Issuer: "https://" + name + ".example.org", ClientID: "hub-at-" + name,
		ClientSecret: "s3cret-" + name, DisplayName: "Provider " + name,
		Scopes: []string{"openid", "profile", "email"}, UsernameClaim: "preferred_username",
		GroupsClaim: "groups", GroupsPrefix: name + ":", Provision: storage.ProvisionAuto,
		LinkVerifiedEmail: true, Disabled: true, CreatedAt: created,
	}
}

func testIDPCRUD(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	orcid, egi := newIDP("orcid", at(time.Minute)), newIDP("egi", at(2*time.Minute))
	must(t, "CreateIdentityProvider", s.CreateIdentityProvider(ctx, orcid))
	must(t, "CreateIdentityProvider", s.CreateIdentityProvider(ctx, egi))

	got, err := s.GetIdentityProvider(ctx, "orcid")
	checkErr(t, "GetIdentityProvider", err, nil)
	diff(t, "GetIdentityProvider", got, orcid)
	_, err = s.GetIdentityProvider(ctx, "none")
	checkErr(t, "GetIdentityProvider(unknown)", err, storage.ErrNotFound)

	dup := newIDP("orcid", at(time.Hour))
	dup.Issuer = "https://other.example.org"
	checkErr(t, "CreateIdentityProvider(same name)", s.CreateIdentityProvider(ctx, dup), storage.ErrAlreadyExists)
	list, err := s.ListIdentityProviders(ctx)
	checkErr(t, "ListIdentityProviders", err, nil)
	diff(t, "ListIdentityProviders after a refused duplicate (sorted, original unchanged)", list,
		[]storage.IdentityProvider{egi, orcid})

	checkErr(t, "DeleteIdentityProvider", s.DeleteIdentityProvider(ctx, "orcid"), nil)
	checkErr(t, "DeleteIdentityProvider(again)", s.DeleteIdentityProvider(ctx, "orcid"), storage.ErrNotFound)
	list, err = s.ListIdentityProviders(ctx)
	checkErr(t, "ListIdentityProviders", err, nil)
	diff(t, "ListIdentityProviders after DeleteIdentityProvider", list, []storage.IdentityProvider{egi})
	must(t, "CreateIdentityProvider(deleted name)", s.CreateIdentityProvider(ctx, dup))
}

func testIDPUpdate(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	p := newIDP("keycloak", at(time.Minute))
	must(t, "CreateIdentityProvider", s.CreateIdentityProvider(ctx, p))

	err := s.UpdateIdentityProvider(ctx, "keycloak", func(storage.IdentityProvider) (storage.IdentityProvider, error) {
		return storage.IdentityProvider{}, errUpdate
	})
	checkErr(t, "UpdateIdentityProvider(refused)", err, errUpdate)
	got, err := s.GetIdentityProvider(ctx, "keycloak")
	checkErr(t, "GetIdentityProvider", err, nil)
	diff(t, "provider after a refused update (unchanged)", got, p)

	want := p
	want.Issuer, want.ClientID, want.ClientSecret = "https://kc.example.org/realms/lab", "hub2", "new-secret"
	want.DisplayName, want.Scopes, want.UsernameClaim = "Lab", []string{"openid"}, "sub"
	want.GroupsClaim, want.GroupsPrefix, want.Provision = "", "", storage.ProvisionOff
	want.LinkVerifiedEmail, want.Disabled, want.CreatedAt = false, false, at(time.Hour)
	err = s.UpdateIdentityProvider(ctx, "keycloak", func(old storage.IdentityProvider) (storage.IdentityProvider, error) {
		diff(t, "old provider seen by update", old, p)
		next := want
		next.Name = "renamed" // ignored: the name cannot change
		return next, nil
	})
	checkErr(t, "UpdateIdentityProvider", err, nil)
	got, err = s.GetIdentityProvider(ctx, "keycloak")
	checkErr(t, "GetIdentityProvider", err, nil)
	diff(t, "provider after update", got, want)

	err = s.UpdateIdentityProvider(ctx, "none", func(p storage.IdentityProvider) (storage.IdentityProvider, error) { return p, nil })
	checkErr(t, "UpdateIdentityProvider(unknown)", err, storage.ErrNotFound)
}

func testIDPListEmpty(t *testing.T, s storage.Storage) {
	list, err := s.ListIdentityProviders(t.Context())
	checkErr(t, "ListIdentityProviders(empty)", err, nil)
	diff(t, "ListIdentityProviders(empty)", list, []storage.IdentityProvider{})
}
