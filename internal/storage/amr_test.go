package storage

import (
	"slices"
	"testing"
)

func TestSplitAMR(t *testing.T) {
	tests := []struct {
		name     string
		amr      []string
		methods  []string
		provider string
	}{
		{"password", []string{"pwd"}, []string{"pwd"}, ""},
		{"federated", FederatedAMR("orcid"), []string{"fed"}, "orcid"},
		{"none", nil, []string{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			methods, provider := SplitAMR(tt.amr)
			if !slices.Equal(methods, tt.methods) || provider != tt.provider {
				t.Errorf("SplitAMR(%q) = %q, %q; want %q, %q", tt.amr, methods, provider, tt.methods, tt.provider)
			}
		})
	}
}

func TestPasskeyAMR(t *testing.T) {
	tests := []struct {
		name             string
		synced, verified bool
		amr              []string
		mfa              bool
	}{
		{"device-bound, verified", false, true, []string{"hwk", "user", "mfa"}, true},
		{"synced, verified", true, true, []string{"swk", "user", "mfa"}, true},
		{"device-bound, presence only", false, false, []string{"hwk"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			amr := PasskeyAMR(PasskeyMethod(tt.synced), tt.verified)
			if !slices.Equal(amr, tt.amr) || HasMFA(amr) != tt.mfa || (ACR(amr) == ACRMFA) != tt.mfa {
				t.Errorf("PasskeyAMR = %q (mfa %v, acr %q), want %q (mfa %v)", amr, HasMFA(amr), ACR(amr), tt.amr, tt.mfa)
			}
		})
	}
	if got := WithSecondFactor([]string{"pwd"}, PasskeyMethod(false)); !slices.Equal(got, []string{"pwd", "hwk", "mfa"}) {
		t.Errorf("password then passkey: %q, want [pwd hwk mfa]", got)
	}
}
