package audience_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hubauth/hubauth/internal/server/audience"
	"github.com/hubauth/hubauth/internal/storage"
)

const (
	data    = "https://data.example.org"
	compute = "https://compute.example.org/api"
)

var apis = audience.New([]storage.API{
	{ID: "datahub", URI: data, Scopes: []string{"uploads:read", "uploads:write"}},
	{ID: "compute", URI: compute, Scopes: []string{"jobs:run"}},
	{ID: "empty", URI: "https://empty.example.org"},
})

func TestGrant(t *testing.T) {
	tests := []struct {
		name      string
		resources []string
		scopes    []string
		want      []string
		refused   bool
	}{
		{"sign-in only: no API", nil, []string{"openid", "profile"}, nil, false},
		{"unowned scopes: no API", nil, []string{"openid", "tokens:read", "datasets:read"}, nil, false},
		{"scopes of one API", nil, []string{"openid", "uploads:read", "uploads:write"}, []string{data}, false},
		{"scopes of two APIs", nil, []string{"uploads:read", "jobs:run"}, nil, true},
		{"named API", []string{data}, []string{"openid", "uploads:read"}, []string{data}, false},
		{"named twice", []string{data, data}, []string{"uploads:read"}, []string{data}, false},
		{"two named APIs", []string{data, compute}, []string{"uploads:read", "jobs:run"}, []string{data, compute}, false},
		{"API without the scope's", []string{compute}, []string{"uploads:read"}, nil, true},
		{"unknown resource", []string{"https://evil.example.org"}, []string{"openid"}, nil, true},
		{"a near miss is unknown", []string{data + "/"}, []string{"openid"}, nil, true},
		{"named API, no scope of it", []string{data}, []string{"openid"}, nil, true},
		{"named scope-less API", []string{"https://empty.example.org"}, []string{"openid"}, nil, true},
		{"two named, one without its scope", []string{data, compute}, []string{"uploads:read"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := apis.Grant(tt.resources, tt.scopes)
			if refused := errors.Is(err, audience.ErrInvalidTarget); refused != tt.refused || (err != nil && !refused) {
				t.Fatalf("Grant(%q, %q) error %v, want refused %v", tt.resources, tt.scopes, err, tt.refused)
			}
			if d := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("Grant(%q, %q) mismatch (-want +got):\n%s", tt.resources, tt.scopes, d)
			}
		})
	}
}

func TestToken(t *testing.T) {
	all := []string{"openid", "offline_access", "tokens:read", "uploads:read", "jobs:run"}
	tests := []struct {
		name      string
		covered   []string
		resources []string
		scopes    []string
		want      audience.Target
		refused   bool
	}{
		{"no API: the client's, scopes as they are", nil, nil, []string{"openid", "tokens:read"},
			audience.Target{Scopes: []string{"openid", "tokens:read"}}, false},
		{"the one covered API", []string{data}, nil, []string{"openid", "tokens:read", "uploads:read"},
			audience.Target{Audience: data, Scopes: []string{"openid", "uploads:read"}}, false},
		{"derived from the scopes of an older grant", nil, nil, []string{"openid", "uploads:read"},
			audience.Target{Audience: data, Scopes: []string{"openid", "uploads:read"}}, false},
		{"several covered, none named", []string{data, compute}, nil, all, audience.Target{}, true},
		{"several covered, one named (RFC 8707 §2.2)", []string{data, compute}, []string{compute}, all,
			audience.Target{Audience: compute, Scopes: []string{"openid", "offline_access", "jobs:run"}}, false},
		{"named, not covered", []string{data}, []string{compute}, all, audience.Target{}, true},
		{"named, unknown", []string{data}, []string{"https://evil.example.org"}, all, audience.Target{}, true},
		{"two named", []string{data, compute}, []string{data, compute}, all, audience.Target{}, true},
		{"covered API since removed", []string{"https://gone.example.org"}, nil, []string{"openid"}, audience.Target{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := apis.Token(tt.covered, tt.resources, tt.scopes)
			if refused := errors.Is(err, audience.ErrInvalidTarget); refused != tt.refused || (err != nil && !refused) {
				t.Fatalf("Token error %v, want refused %v", err, tt.refused)
			}
			if d := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("Token mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestAudienceOr(t *testing.T) {
	if got := (audience.Target{}).AudienceOr("cli"); !cmp.Equal(got, []string{"cli"}) {
		t.Errorf("AudienceOr for no API = %q, want [cli]", got)
	}
	if got := (audience.Target{Audience: data}).AudienceOr("cli"); !cmp.Equal(got, []string{data}) {
		t.Errorf("AudienceOr for an API = %q, want [%s]", got, data)
	}
}
