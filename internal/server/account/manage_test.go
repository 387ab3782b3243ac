package account

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// A personal token never carries a scope of token management (NOMAD's
// _PAT_FORBIDDEN_SCOPES, with the hub's tokens:write): it could then list,
// revoke or mint personal tokens and logins.
func TestCheckNewTokenRefusesManagementScopes(t *testing.T) {
	granted := scopes.NewSet([]storage.Scope{{Name: "uploads:write", Description: "create uploads"}})
	for _, sc := range []string{scopes.TokensRead, scopes.TokensWrite, scopes.TokensCreate, scopes.TokensDelete} {
		t.Run(sc, func(t *testing.T) {
			err := TokenPolicy{}.CheckNewToken(granted, "ci", 60, []string{"uploads:write", sc})
			if err == nil || err.Field != FieldScopes || err.Code != "invalid_scope" || !errors.Is(err, ErrManagementScope) {
				t.Fatalf("CheckNewToken with %s = %v, want an invalid_scope on scopes wrapping ErrManagementScope", sc, err)
			}
		})
	}
}

// Rotation drops the management scopes a token stored before they were
// refused at creation: the new secret never carries them.
func TestRotateDropsManagementScopes(t *testing.T) {
	ctx := context.Background()
	iss, _, _ := newIssuer(t, TokenPolicy{})
	_, old := NewPersonalToken("u1", "old", []string{"uploads:write", "tokens:read", "tokens:write", "tokens:delete"}, 3600e9, issueNow)
	if err := iss.Store.CreatePersonalToken(ctx, old); err != nil {
		t.Fatal(err)
	}
	out, err := iss.Rotate(ctx, Action{UserID: "u1"}, old.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := iss.Store.GetPersonalToken(ctx, "u1", old.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range [][]string{out.Scopes, stored.Scopes} {
		if diff := cmp.Diff([]string{"uploads:write"}, got); diff != "" {
			t.Errorf("scopes after rotation (-want +got):\n%s", diff)
		}
	}
}
