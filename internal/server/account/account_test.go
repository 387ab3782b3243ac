package account

import (
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

func TestCheckNewToken(t *testing.T) {
	granted := scopes.NewSet([]storage.Scope{{Name: "uploads:write", Description: "create uploads"}})
	days30 := int64(DefaultTokenMax / time.Second)
	tests := []struct {
		name      string
		tokenName string
		expiresIn int64
		policy    TokenPolicy
		scopes    []string
		wantField string // "" when valid
	}{
		{"valid", "ci", 3600, TokenPolicy{}, []string{"uploads:write"}, ""},
		{"longest name", strings.Repeat("é", MaxTokenName), 60, TokenPolicy{}, nil, ""},
		{"empty name", "", 60, TokenPolicy{}, nil, FieldName},
		{"name too long", strings.Repeat("n", MaxTokenName+1), 60, TokenPolicy{}, nil, FieldName},
		{"surrounding spaces", " ci", 60, TokenPolicy{}, nil, FieldName},
		{"OSC 52 in the name", "ci\x1b]52;c;aGk=\x07", 60, TokenPolicy{}, nil, FieldName},
		{"invalid UTF-8 name", "ci\xff", 60, TokenPolicy{}, nil, FieldName},
		{"no lifetime given", "ci", -1, TokenPolicy{NoExpiry: true}, nil, FieldExpiresIn},
		{"never expiring, not allowed", "ci", 0, TokenPolicy{}, nil, FieldExpiresIn},
		{"never expiring, allowed", "ci", 0, TokenPolicy{NoExpiry: true}, nil, ""},
		{"default maximum", "ci", days30, TokenPolicy{}, nil, ""},
		{"over the default maximum", "ci", days30 + 1, TokenPolicy{}, nil, FieldExpiresIn},
		{"over the server maximum", "ci", 7201, TokenPolicy{Max: 2 * time.Hour}, nil, FieldExpiresIn},
		{"over the maximum, no expiry allowed", "ci", 7201, TokenPolicy{Max: 2 * time.Hour, NoExpiry: true}, nil, FieldExpiresIn},
		{"unknown scope", "ci", 60, TokenPolicy{}, []string{"root"}, FieldScopes},
		{"registered scope", "ci", 60, TokenPolicy{}, []string{"uploads:write"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.policy.CheckNewToken(granted, tt.tokenName, tt.expiresIn, tt.scopes)
			got := ""
			if err != nil {
				got = err.Field
			}
			if got != tt.wantField {
				t.Fatalf("CheckNewToken field = %q (%v), want %q", got, err, tt.wantField)
			}
		})
	}
	if e := (TokenPolicy{Max: 2 * time.Hour}).CheckNewToken(granted, "ci", 7201, nil); !strings.Contains(e.Description, "7200 seconds") || strings.Contains(e.Description, "never") {
		t.Errorf("the message %q does not name the maximum alone", e.Description)
	}
	if e := (TokenPolicy{NoExpiry: true}).CheckNewToken(granted, "ci", -1, nil); !strings.Contains(e.Description, "or 0 for a token that never expires") {
		t.Errorf("the message %q does not offer 0", e.Description)
	}
}
