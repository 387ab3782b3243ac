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
