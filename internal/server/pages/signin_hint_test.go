package pages

import "testing"

// TestSignInHint: the account page names every way the user signs in,
// in one sentence, passkeys included.
func TestSignInHint(t *testing.T) {
	pk := []passkeyRow{{ID: "p1", Name: "laptop"}}
	ids := []identityRow{{Provider: "ORCID", Name: "orcid", Subject: "0000-0002-1825-0097"}}
	tests := []struct {
		name string
		v    accountView
		want string
	}{
		{"password", accountView{HasPassword: true}, "You can sign in with your hub password."},
		{"password and passkey", accountView{HasPassword: true, MFA: mfaSection{Passkeys: pk}},
			"You can sign in with your hub password and a passkey."},
		{"all three", accountView{HasPassword: true, MFA: mfaSection{Passkeys: pk}, Identities: ids},
			"You can sign in with your hub password, a passkey and these identities."},
		{"passkeys the hub does not offer", accountView{HasPassword: true, MFA: mfaSection{Passkeys: pk, PasskeysOff: "an IP address"}},
			"You can sign in with your hub password."},
		{"no password, identities", accountView{Identities: ids}, "You have no hub password: you sign in with these identities."},
		{"no password, nothing else", accountView{}, "You have no hub password."},
		{"password off, passkey and identities", accountView{PasswordOff: true, MFA: mfaSection{Passkeys: pk}, Identities: ids},
			"Password sign-in is turned off on this hub: you sign in with a passkey and these identities."},
		{"password off, nothing else", accountView{PasswordOff: true}, "Password sign-in is turned off on this hub."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.SignInHint(); got != tt.want {
				t.Errorf("SignInHint() = %q, want %q", got, tt.want)
			}
		})
	}
}
