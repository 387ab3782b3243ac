package upstream

import (
	"strings"
	"testing"
)

// TestSigningAlgs: of the algorithms a discovery document lists, only the
// asymmetric ones are kept for ID tokens; HS256 and none never.
func TestSigningAlgs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HS256 none RS256 PS384 ES512 EdDSA HS512 ES256K", "RS256 PS384 ES512 EdDSA"},
		{"RS256 RS384 RS512 PS256 PS512 ES256 ES384", "RS256 RS384 RS512 PS256 PS512 ES256 ES384"},
		{"HS256 none", ""}, // none left: go-oidc's default, RS256
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := strings.Join(signingAlgs(strings.Fields(tt.in)), " "); got != tt.want {
				t.Fatalf("signingAlgs(%s) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
