package storagetest

import (
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

var clientTests = []subtest{
	{"ClientCRUD", testClientCRUD},
	{"ClientUpdate", testClientUpdate},
}

var signingKeyTests = []subtest{
	{"SigningKeyRotation", testSigningKeyRotation},
}

// newClient is a confidential client with every field set.
func newClient(id string) storage.Client {
	return storage.Client{
		ID:                id,
		Name:              "Client " + id,
		SecretHash:        "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
		RedirectURIs:      []string{"https://" + id + ".example.org/callback", "http://127.0.0.1/cb"},
		GrantTypes:        []string{"authorization_code", "refresh_token"},
		RestrictScopes:    true,
		AllowedScopes:     []string{"openid", "uploads:read"},
		CreatedAt:         at(time.Minute),
		ExchangeAudiences: []string{"https://data.example.org"},
	}
}

func testClientCRUD(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	web, cli := newClient("web"), newClient("hubauth-cli")
	cli.SecretHash, cli.Public, cli.FirstParty, cli.RedirectURIs = "", true, true, nil
	cli.RestrictScopes, cli.AllowedScopes = false, nil // may ask for any scope
	must(t, "CreateClient", s.CreateClient(ctx, web))
	must(t, "CreateClient", s.CreateClient(ctx, cli))
	checkErr(t, "CreateClient(same id)", s.CreateClient(ctx, newClient("web")), storage.ErrAlreadyExists)

	got, err := s.GetClient(ctx, "web")
	checkErr(t, "GetClient", err, nil)
	diff(t, "GetClient", got, web)
	got, err = s.GetClient(ctx, "hubauth-cli")
	checkErr(t, "GetClient(public)", err, nil)
	diff(t, "GetClient(public)", got, cli)
	_, err = s.GetClient(ctx, "none")
	checkErr(t, "GetClient(unknown)", err, storage.ErrNotFound)

	list, err := s.ListClients(ctx)
	checkErr(t, "ListClients", err, nil)
	diff(t, "ListClients (by id)", list, []storage.Client{cli, web})
}

func testClientUpdate(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	web := newClient("web")
	must(t, "CreateClient", s.CreateClient(ctx, web))
	want := web
	want.Disabled, want.RedirectURIs = true, []string{"https://new.example.org/cb"}
	want.AllowedScopes = []string{"openid", "profile", "uploads:write"}
	err := s.UpdateClient(ctx, "web", func(old storage.Client) (storage.Client, error) {
		diff(t, "UpdateClient callback argument", old, web)
		old.Disabled, old.RedirectURIs = true, []string{"https://new.example.org/cb"}
		old.AllowedScopes = []string{"openid", "profile", "uploads:write"}
		return old, nil
	})
	checkErr(t, "UpdateClient", err, nil)
	if err := s.UpdateClient(ctx, "web", refuse[storage.Client]); err != errUpdate {
		t.Errorf("UpdateClient(failing callback) = %v, want the callback's error unchanged", err)
	}
	got, err := s.GetClient(ctx, "web")
	checkErr(t, "GetClient", err, nil)
	diff(t, "client after updates", got, want)
	checkErr(t, "UpdateClient(unknown)", s.UpdateClient(ctx, "none", refuse[storage.Client]), storage.ErrNotFound)
}

func newKey(id string, created time.Time) storage.SigningKey {
	pem := "-----BEGIN PRIVATE KEY-----\n" + id + "\n-----END PRIVATE KEY-----\n"
	return storage.SigningKey{ID: id, Algorithm: "ES256", PrivatePEM: []byte(pem), CreatedAt: created}
}

func testSigningKeyRotation(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	keys, err := s.ListSigningKeys(ctx)
	checkErr(t, "ListSigningKeys(empty)", err, nil)
	diff(t, "ListSigningKeys(empty)", keys, []storage.SigningKey{})

	k1, k2, k3 := newKey("k1", at(0)), newKey("k2", at(time.Hour)), newKey("k3", at(2*time.Hour))
	for _, k := range []storage.SigningKey{k1, k2, k3} {
		must(t, "RotateSigningKeys", s.RotateSigningKeys(ctx, k))
	}
	k1.RetiredAt, k2.RetiredAt = k2.CreatedAt, k3.CreatedAt
	keys, err = s.ListSigningKeys(ctx)
	checkErr(t, "ListSigningKeys", err, nil)
	diff(t, "ListSigningKeys (newest first)", keys, []storage.SigningKey{k3, k2, k1})

	dup := newKey("k1", at(3*time.Hour))
	checkErr(t, "RotateSigningKeys(same id)", s.RotateSigningKeys(ctx, dup), storage.ErrAlreadyExists)
	keys, err = s.ListSigningKeys(ctx)
	checkErr(t, "ListSigningKeys", err, nil)
	diff(t, "ListSigningKeys after failed rotation (rolled back)", keys, []storage.SigningKey{k3, k2, k1})

	must(t, "DeleteSigningKeysRetiredBefore", s.DeleteSigningKeysRetiredBefore(ctx, at(2*time.Hour)))
	keys, err = s.ListSigningKeys(ctx)
	checkErr(t, "ListSigningKeys", err, nil)
	diff(t, "ListSigningKeys after deleting keys retired before k3", keys, []storage.SigningKey{k3, k2})
}
