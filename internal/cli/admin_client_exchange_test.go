package cli

import (
	"slices"
	"testing"

	"github.com/hubauth/hubauth/internal/storage"
)

func TestAdminClientTokenExchange(t *testing.T) {
	h := newTestHub(t)
	h.mustRun("", "admin", "scope", "add", "uploads:read", "--description", "see uploads")
	h.mustRun("", "admin", "api", "add", "datahub", "--uri", "https://data.example.org", "--scopes", "uploads:read")
	h.mustRun("", "admin", "api", "add", "compute", "--uri", "https://compute.example.org")
	h.mustRun("", "admin", "client", "add", "pipeline", "--name", "Workflow engine",
		"--grant", "token-exchange", "--exchange-audience", "https://data.example.org")
	c, err := h.store().GetClient(t.Context(), "pipeline")
	if err != nil || !slices.Equal(c.GrantTypes, []string{storage.GrantTokenExchange}) ||
		!slices.Equal(c.ExchangeAudiences, []string{"https://data.example.org"}) || c.Public {
		t.Fatalf("pipeline = %+v (%v), want a confidential client with the token-exchange grant for the data hub", c, err)
	}
	if e := lastAudit(t, h.store()); e.ClientID != "pipeline" {
		t.Errorf("audit = %+v, want the addition", e)
	}

	h.mustRun("", "admin", "client", "set-exchange", "pipeline", "https://data.example.org", "https://compute.example.org")
	if c, _ := h.store().GetClient(t.Context(), "pipeline"); len(c.ExchangeAudiences) != 2 {
		t.Errorf("after set-exchange: %v", c.ExchangeAudiences)
	}
	if e := lastAudit(t, h.store()); e.Detail != "set exchange audiences of client pipeline: https://data.example.org https://compute.example.org" {
		t.Errorf("audit = %+v", e)
	}
	h.mustRun("", "admin", "client", "set-exchange", "pipeline", "--none")
	if c, _ := h.store().GetClient(t.Context(), "pipeline"); len(c.ExchangeAudiences) != 0 || slices.Contains(c.GrantTypes, storage.GrantTokenExchange) {
		t.Errorf("after set-exchange --none: %+v", c)
	}

	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"grant without audience", []string{"add", "x", "--name", "X", "--grant", "token-exchange"}, ExitError, "needs at least one --exchange-audience"},
		{"audience without grant", []string{"add", "x", "--name", "X", "--exchange-audience", "https://data.example.org"}, ExitError, "needs --grant token-exchange"},
		{"public client", []string{"add", "x", "--name", "X", "--public", "--grant", "token-exchange", "--exchange-audience", "https://data.example.org"}, ExitError, "a public client cannot use"},
		{"unregistered API", []string{"add", "x", "--name", "X", "--grant", "token-exchange", "--exchange-audience", "https://other.example.org"}, ExitError, "no registered API has the URI"},
		{"http audience", []string{"add", "x", "--name", "X", "--grant", "token-exchange", "--exchange-audience", "http://data.example.org"}, ExitError, "must use https"},
		{"set-exchange unknown client", []string{"set-exchange", "nobody", "https://data.example.org"}, ExitError, `no client "nobody"`},
		{"set-exchange nothing", []string{"set-exchange", "pipeline"}, ExitUsage, "--none"},
		{"set-exchange both", []string{"set-exchange", "pipeline", "https://data.example.org", "--none"}, ExitUsage, "not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFailure(t, h.run("", append([]string{"admin", "client"}, tt.args...)...), tt.code, tt.msg)
		})
	}
	if _, err := h.store().GetClient(t.Context(), "x"); err == nil {
		t.Error("a refused client was stored")
	}
}
