package storagetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hubauth/hubauth/internal/storage"
)

var personalTokenTests = []subtest{
	{"PersonalTokenCRUD", testPersonalTokenCRUD},
	{"PersonalTokenExpiry", testPersonalTokenExpiry},
	{"PersonalTokenRevoke", testPersonalTokenRevoke},
	{"PersonalTokenRotate", testPersonalTokenRotate},
	{"PersonalTokenRevokeRace", testPersonalTokenRevokeRace},
}

var auditTests = []subtest{
	{"Audit", testAudit},
}

// newPersonalToken is a token of user created at created, living 30 days.
func newPersonalToken(id, user, name string, created time.Time) storage.PersonalToken {
	return storage.PersonalToken{
		ID: id, UserID: user, Name: name, Hash: "pat-hash-" + id, Scopes: []string{"uploads:read"},
		CreatedAt: created, ExpiresAt: created.Add(30 * 24 * time.Hour),
	}
}

func testPersonalTokenCRUD(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	p1, p2 := newPersonalToken("p-1", "u-1", "ci", at(0)), newPersonalToken("p-2", "u-1", "notebook", at(time.Hour))
	p1.Description = "nightly uploads"
	other := newPersonalToken("p-3", "u-2", "ci", at(0))
	for _, p := range []storage.PersonalToken{p1, p2, other} {
		must(t, "CreatePersonalToken", s.CreatePersonalToken(ctx, p))
	}
	err := s.CreatePersonalToken(ctx, newPersonalToken("p-4", "u-1", "ci", at(0)))
	checkErr(t, "CreatePersonalToken(name taken)", err, storage.ErrAlreadyExists)

	got, err := s.GetPersonalTokenByHash(ctx, p1.Hash, at(time.Hour))
	checkErr(t, "GetPersonalTokenByHash", err, nil)
	diff(t, "GetPersonalTokenByHash", got, p1)
	list, err := s.ListPersonalTokens(ctx, "u-1")
	checkErr(t, "ListPersonalTokens", err, nil)
	diff(t, "ListPersonalTokens (newest first)", list, []storage.PersonalToken{p2, p1})

	checkErr(t, "TouchPersonalTokens(none)", s.TouchPersonalTokens(ctx, nil), nil)
	checkErr(t, "TouchPersonalTokens", s.TouchPersonalTokens(ctx, []storage.TokenUse{
		{ID: "p-1", At: at(2 * time.Hour)}, {ID: "none", At: at(2 * time.Hour)}, {ID: "p-2", At: at(3 * time.Hour)},
	}), nil)
	// An earlier use (from a node that flushes late) does not move it back.
	checkErr(t, "TouchPersonalTokens(earlier)", s.TouchPersonalTokens(ctx, []storage.TokenUse{{ID: "p-1", At: at(time.Hour)}}), nil)
	p1.LastUsedAt, p2.LastUsedAt = at(2*time.Hour), at(3*time.Hour)
	got, err = s.GetPersonalTokenByHash(ctx, p1.Hash, at(2*time.Hour))
	checkErr(t, "GetPersonalTokenByHash", err, nil)
	diff(t, "token after TouchPersonalTokens", got, p1)

	checkErr(t, "DeletePersonalToken(another user's)", s.DeletePersonalToken(ctx, "u-2", "p-1"), storage.ErrNotFound)
	checkErr(t, "DeletePersonalToken", s.DeletePersonalToken(ctx, "u-1", "p-1"), nil)
	checkErr(t, "DeletePersonalToken(again)", s.DeletePersonalToken(ctx, "u-1", "p-1"), storage.ErrNotFound)
	_, err = s.GetPersonalTokenByHash(ctx, p1.Hash, at(2*time.Hour))
	checkErr(t, "GetPersonalTokenByHash(deleted)", err, storage.ErrNotFound)
	list, err = s.ListPersonalTokens(ctx, "u-1")
	checkErr(t, "ListPersonalTokens", err, nil)
	diff(t, "ListPersonalTokens after delete", list, []storage.PersonalToken{p2})
}

func testPersonalTokenExpiry(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	p := newPersonalToken("p-1", "u-1", "ci", at(0))
	forever := newPersonalToken("p-2", "u-1", "forever", at(0))
	forever.ExpiresAt = time.Time{}
	must(t, "CreatePersonalToken", s.CreatePersonalToken(ctx, p))
	must(t, "CreatePersonalToken", s.CreatePersonalToken(ctx, forever))

	_, err := s.GetPersonalTokenByHash(ctx, p.Hash, p.ExpiresAt.Add(-time.Microsecond))
	checkErr(t, "GetPersonalTokenByHash(before expiry)", err, nil)
	_, err = s.GetPersonalTokenByHash(ctx, p.Hash, p.ExpiresAt)
	checkErr(t, "GetPersonalTokenByHash(at expiry)", err, storage.ErrNotFound)
	_, err = s.GetPersonalTokenByHash(ctx, "pat-hash-none", at(0))
	checkErr(t, "GetPersonalTokenByHash(unknown)", err, storage.ErrNotFound)
	got, err := s.GetPersonalTokenByHash(ctx, forever.Hash, at(100*365*24*time.Hour))
	checkErr(t, "GetPersonalTokenByHash(zero ExpiresAt, a century on)", err, nil)
	diff(t, "token with zero ExpiresAt", got, forever)
}

func testAudit(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	events, err := s.ListAudit(ctx, 10)
	checkErr(t, "ListAudit(empty)", err, nil)
	diff(t, "ListAudit(empty)", events, []storage.AuditEvent{})
	want := []storage.AuditEvent{
		{Time: at(0), Type: "login", UserID: "u-1", ClientID: "web", Address: "192.0.2.7"},
		{Time: at(time.Second), Type: "login_failed", UserID: "u-2", Address: "192.0.2.8", Detail: "bad password"},
		{Time: at(time.Second), Type: "revoke", UserID: "u-1", Detail: "session s-1"},
		{Time: at(time.Minute), Type: "admin", Detail: "keys rotate"},
	}
	for _, e := range want {
		must(t, "AppendAudit", s.AppendAudit(ctx, e))
	}
	events, err = s.ListAudit(ctx, 3)
	checkErr(t, "ListAudit", err, nil)
	diff(t, "ListAudit(3) (newest first)", events, []storage.AuditEvent{want[3], want[2], want[1]},
		cmpopts.IgnoreFields(storage.AuditEvent{}, "ID"))
	ids := map[int64]bool{}
	for _, e := range events {
		if e.ID == 0 || ids[e.ID] {
			t.Errorf("ListAudit: event ids %v are not distinct and non-zero", events)
		}
		ids[e.ID] = true
	}
}
