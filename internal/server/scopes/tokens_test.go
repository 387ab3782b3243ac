package scopes

import "testing"

func TestHolds(t *testing.T) {
	tests := []struct {
		name string
		held []string
		need string
		want bool
	}{
		{"the scope itself", []string{"tokens:create"}, "tokens:create", true},
		{"tokens:write grants tokens:create", []string{"openid", "tokens:write"}, "tokens:create", true},
		{"tokens:write grants tokens:delete", []string{"tokens:write"}, "tokens:delete", true},
		{"tokens:create is not tokens:delete", []string{"tokens:create"}, "tokens:delete", false},
		{"NOMAD's parts do not add up to tokens:write", []string{"tokens:create", "tokens:delete"}, "tokens:write", false},
		{"tokens:write does not grant reading", []string{"tokens:write"}, "tokens:read", false},
		{"nothing held", nil, "tokens:read", false},
		{"another scope", []string{"uploads:write"}, "uploads:write", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Holds(tt.held, tt.need); got != tt.want {
				t.Errorf("Holds(%v, %q) = %v, want %v", tt.held, tt.need, got, tt.want)
			}
		})
	}
}

func TestAsk(t *testing.T) {
	for need, want := range map[string]string{
		"tokens:create": "tokens:write", "tokens:delete": "tokens:write", "tokens:read": "tokens:read", "users:read": "users:read",
	} {
		if got := Ask(need); got != want {
			t.Errorf("Ask(%q) = %q, want %q", need, got, want)
		}
	}
}

func TestNOMADTokenScopesKnown(t *testing.T) {
	if err := NewSet(nil).Check([]string{"tokens:create", "tokens:read", "tokens:delete"}); err != nil {
		t.Errorf("NOMAD's token scopes refused: %v", err)
	}
}
