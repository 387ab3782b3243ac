package storage_test

import (
	"errors"
	"testing"

	"github.com/hubauth/hubauth/internal/storage"
)

// TestCheckUnlink: a user keeps a way to sign in — a password while
// passwords count, or another identity of an enabled provider.
func TestCheckUnlink(t *testing.T) {
	withPassword := storage.User{ID: "u-1", PasswordHash: "$argon2id$…"}
	passwordless := storage.User{ID: "u-1"}
	orcid := storage.UserIdentity{Provider: "orcid", Subject: "a", UserID: "u-1"}
	egi := storage.UserIdentity{Provider: "egi", Subject: "a", UserID: "u-1"}
	orcid2 := storage.UserIdentity{Provider: "orcid", Subject: "b", UserID: "u-1"}
	providers := []storage.IdentityProvider{{Name: "orcid"}, {Name: "egi"}}
	egiOff := []storage.IdentityProvider{{Name: "orcid"}, {Name: "egi", Disabled: true}}
	tests := []struct {
		name string
		u    storage.User
		ids  []storage.UserIdentity
		w    storage.SignInWays
		want error
	}{
		{"password counts, last identity", withPassword, []storage.UserIdentity{orcid}, storage.SignInWays{Password: true, Providers: providers}, nil},
		{"password sign-in off, last identity", withPassword, []storage.UserIdentity{orcid}, storage.SignInWays{Providers: providers}, storage.ErrLastSignIn},
		{"password sign-in off, another identity", withPassword, []storage.UserIdentity{egi, orcid}, storage.SignInWays{Providers: providers}, nil},
		{"passwordless, another identity", passwordless, []storage.UserIdentity{egi, orcid}, storage.SignInWays{Password: true, Providers: providers}, nil},
		{"passwordless, another identity at the same provider", passwordless, []storage.UserIdentity{orcid, orcid2}, storage.SignInWays{Password: true, Providers: providers}, nil},
		{"passwordless, last identity", passwordless, []storage.UserIdentity{orcid}, storage.SignInWays{Password: true, Providers: providers}, storage.ErrLastSignIn},
		{"the other identity's provider is disabled", passwordless, []storage.UserIdentity{egi, orcid}, storage.SignInWays{Password: true, Providers: egiOff}, storage.ErrLastSignIn},
		{"the other identity's provider is unknown", passwordless, []storage.UserIdentity{egi, orcid}, storage.SignInWays{Password: true, Providers: providers[:1]}, storage.ErrLastSignIn},
		{"zero SignInWays counts nothing", withPassword, []storage.UserIdentity{egi, orcid}, storage.SignInWays{}, storage.ErrLastSignIn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := storage.CheckUnlink(tt.u, tt.ids, "orcid", "a", tt.w); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("CheckUnlink(unlink orcid/a) = %v, want %v", err, tt.want)
			}
		})
	}
	// Unlinking the identity of a disabled provider: the enabled one stays.
	if err := storage.CheckUnlink(passwordless, []storage.UserIdentity{egi, orcid}, "egi", "a", storage.SignInWays{Providers: egiOff}); err != nil {
		t.Errorf("CheckUnlink(unlink the disabled provider's identity) = %v, want nil", err)
	}
}
