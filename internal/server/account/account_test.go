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
	tests := []struct {
		name      string
		tokenName string
		expiresIn int64
		max       time.Duration
		scopes    []string
		wantField string // "" when valid
	}{
		{"valid", "ci", 3600, 0, []string{"tokens:read"}, ""},
		{"longest name", strings.Repeat("é", MaxTokenName), 60, 0, nil, ""},
		{"empty name", "", 60, 0, nil, FieldName},
		{"name too long", strings.Repeat("n", MaxTokenName+1), 60, 0, nil, FieldName},
		{"surrounding spaces", " ci", 60, 0, nil, FieldName},
		{"no lifetime", "ci", 0, 0, nil, FieldExpiresIn},
		{"default maximum", "ci", int64(DefaultTokenMax/time.Second) + 1, 0, nil, FieldExpiresIn},
		{"server maximum", "ci", 7201, 2 * time.Hour, nil, FieldExpiresIn},
		{"unknown scope", "ci", 60, 0, []string{"root"}, FieldScopes},
		{"registered scope", "ci", 60, 0, []string{"uploads:write"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckNewToken(granted, tt.tokenName, tt.expiresIn, tt.max, tt.scopes)
			got := ""
			if err != nil {
				got = err.Field
			}
			if got != tt.wantField {
				t.Fatalf("CheckNewToken field = %q (%v), want %q", got, err, tt.wantField)
			}
		})
	}
	if e := CheckNewToken(granted, "ci", 7201, 2*time.Hour, nil); !strings.Contains(e.Description, "7200 seconds") {
		t.Errorf("the message %q does not name the maximum", e.Description)
	}
}
