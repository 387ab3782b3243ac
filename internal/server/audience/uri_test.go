package audience_test

import (
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/server/audience"
)

func TestCheckURI(t *testing.T) {
	tests := []struct {
		uri string
		ok  bool
	}{
		{"https://data.example.org", true},
		{"https://data.example.org/api/v1", true},
		{"https://data.example.org:8443", true},
		{"http://127.0.0.1:8081", true},
		{"http://localhost:8081", true},
		{"http://[::1]:8081", true},
		{"http://data.example.org", false},
		{"https://data.example.org#frag", false},
		{"https://data.example.org#", false},
		{"https://data.example.org?x=1", false},
		{"https://user@data.example.org", false},
		{"ftp://data.example.org", false},
		{"data.example.org", false},
		{"/api", false},
		{"urn:example:data", false},
		{"", false},
		{"https://data.example.org/" + strings.Repeat("a", 600), false},
		{"https://data.example.org/a b", false},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			if err := audience.CheckURI(tt.uri); (err == nil) != tt.ok {
				t.Errorf("CheckURI(%q) = %v, want ok %v", tt.uri, err, tt.ok)
			}
		})
	}
}
