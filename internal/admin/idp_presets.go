package admin

import (
	"slices"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/hubauth/hubauth/internal/storage"
)

// Preset is the public configuration of a well-known upstream: what
// `idp add --preset` fills in before the flags.
type Preset struct {
	Issuer        string // "": the operator gives it (a Keycloak realm)
	DisplayName   string
	Scopes        []string // nil: the defaults
	UsernameClaim string   // "": the default (preferred_username)
}

// Presets are the upstreams known by name.
var Presets = map[string]Preset{
	// ORCID's ID token has sub = the ORCID iD and no e-mail.
	"orcid": {Issuer: "https://orcid.org", DisplayName: "ORCID", Scopes: []string{oidc.ScopeOpenID}, UsernameClaim: "sub"},
	// OpenID Connect proxies to eduGAIN.
	"cilogon":   {Issuer: "https://cilogon.org", DisplayName: "CILogon"},
	"egi":       {Issuer: "https://aai.egi.eu/auth/realms/egi", DisplayName: "EGI Check-in"},
	"helmholtz": {Issuer: "https://login.helmholtz.de/oauth2", DisplayName: "Helmholtz AAI"},
	// A Keycloak realm: its issuer is https://HOST/realms/REALM.
	"keycloak": {DisplayName: "Keycloak"},
}

// PresetNames lists the presets' names, sorted.
func PresetNames() []string {
	out := make([]string, 0, len(Presets))
	for name := range Presets {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// fill returns p with the preset's values set in it.
func (pre Preset) fill(p storage.IdentityProvider) storage.IdentityProvider {
	p.Issuer = pre.Issuer
	p.DisplayName = pre.DisplayName
	if pre.Scopes != nil {
		p.Scopes = slices.Clone(pre.Scopes)
	}
	if pre.UsernameClaim != "" {
		p.UsernameClaim = pre.UsernameClaim
	}
	return p
}
