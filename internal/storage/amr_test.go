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
	for _, tt := range []struct {
		name   string
		synced bool
		amr    []string
	}{
		{"device-bound", false, []string{"hwk", "user", "mfa"}},
		{"synced", true, []string{"swk", "user", "mfa"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			amr := PasskeyAMR(PasskeyMethod(tt.synced))
			if !slices.Equal(amr, tt.amr) || !HasMFA(amr) || ACR(amr) != ACRMFA {
				t.Errorf("PasskeyAMR = %q (acr %q), want %q (acr mfa)", amr, ACR(amr), tt.amr)
			}
		})
	}
}

func TestWithSecondFactor(t *testing.T) {
	for _, tt := range []struct {
		name   string
		amr    []string
		method string
		want   []string
	}{
		{"password then passkey", []string{"pwd"}, "hwk", []string{"pwd", "hwk", "mfa"}},
		{"federated then code", FederatedAMR("orcid"), "otp", []string{"fed", "idp:orcid", "otp", "mfa"}},
		{"a passkey then a passkey: no second factor", []string{"hwk"}, "hwk", []string{"hwk"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := WithSecondFactor(tt.amr, tt.method); !slices.Equal(got, tt.want) {
				t.Errorf("WithSecondFactor(%q, %q) = %q, want %q", tt.amr, tt.method, got, tt.want)
			}
		})
	}
}
