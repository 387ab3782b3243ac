package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hubauth/hubauth/resource"
)

// scopeDescriptions are what the hub's consent page says of the data
// hub's scopes, for the command that registers them.
var scopeDescriptions = map[string]string{
	"uploads:read":  "see your uploads",
	"uploads:write": "create and publish uploads",
}

// missingScopes answers a token without scopes as NOMAD does — 403
// {"detail": "Missing scopes: ['uploads:write']"}, the list sorted and in
// Python's repr (nomad/app/v1/routers/auth.py) — with RFC 6750's
// insufficient_scope challenge naming them.
func missingScopes(w http.ResponseWriter, r *http.Request, scopes ...string) {
	scopes = slices.Sorted(slices.Values(scopes))
	resource.ScopeChallenge(w, r, scopes...)
	writeJSON(w, http.StatusForbidden, map[string]string{"detail": "Missing scopes: " + pyList(scopes)})
}

// pyList writes a list of scopes as Python's repr does: ['a', 'b']. A
// string with a ' is quoted with " (a scope has neither " nor \).
func pyList(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		if strings.Contains(s, "'") {
			q[i] = `"` + s + `"`
		} else {
			q[i] = "'" + s + "'"
		}
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// required lists the scopes the data hub checks.
func (o options) required() []string {
	var out []string
	for _, s := range []string{o.readScope, o.writeScope} {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// warnUnregistered logs, for each scope the data hub requires that the
// hub's discovery document does not list in scopes_supported, how the
// hub's operator registers it: until then no token can carry it. Nothing
// is logged when the document cannot be read (resource reports an
// unreachable hub on each request).
func warnUnregistered(ctx context.Context, o options, log *slog.Logger) {
	supported, err := scopesSupported(ctx, o.issuer)
	if err != nil {
		log.Debug("could not read the hub's scopes_supported", "err", err)
		return
	}
	for _, s := range o.required() {
		if slices.Contains(supported, s) {
			continue
		}
		desc := scopeDescriptions[s]
		if desc == "" {
			desc = "use the data hub"
		}
		log.Warn("the hub does not grant a scope the data hub requires: no token can carry it until the hub's operator registers it",
			"scope", s, "register", fmt.Sprintf("hubauth admin scope add %s --description %q", s, desc))
	}
}

// scopesSupported reads scopes_supported from the hub's discovery
// document (OpenID Connect Discovery 1.0 §3).
func scopesSupported(ctx context.Context, issuer string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(issuer, "/")+"/.well-known/openid-configuration", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("discovery: %s", resp.Status)
	}
	var doc struct {
		ScopesSupported []string `json:"scopes_supported"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 1<<20)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("discovery: %w", err)
	}
	return doc.ScopesSupported, nil
}
