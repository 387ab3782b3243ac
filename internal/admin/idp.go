package admin

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/hubauth/hubauth/internal/issuer"
	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/storage"
)

// NewIdentityProvider is an upstream OpenID Connect provider to add. Empty
// fields (nil Scopes) take the Preset's value, then the defaults.
type NewIdentityProvider struct {
	Name              string
	Preset            string // a key of Presets, or ""
	Issuer            string
	ClientID          string
	ClientSecret      string
	DisplayName       string // default: the preset's, else Name
	Scopes            []string
	UsernameClaim     string
	GroupsClaim       string
	GroupsPrefix      string
	Provision         string // storage.ProvisionAuto (default) or ProvisionOff
	LinkVerifiedEmail bool
}

// Check validates what can be checked without the database nor the
// upstream: the name, the preset, the issuer and the other fields.
func (n NewIdentityProvider) Check() error {
	_, err := n.provider()
	return err
}

// provider returns the provider to store, with the preset and defaults
// applied, or an ErrInvalid error. It does not contact the upstream.
func (n NewIdentityProvider) provider() (storage.IdentityProvider, error) {
	if err := names.CheckID("provider name", n.Name); err != nil {
		return storage.IdentityProvider{}, invalid(err)
	}
	p := storage.IdentityProvider{Name: n.Name, DisplayName: n.Name, Provision: storage.ProvisionAuto,
		Scopes: defaultIDPScopes, UsernameClaim: "preferred_username"}
	if n.Preset != "" {
		pre, ok := Presets[n.Preset]
		if !ok {
			return p, invalid(fmt.Errorf("unknown preset %q: use one of %s", n.Preset, strings.Join(PresetNames(), ", ")))
		}
		p = pre.fill(p)
	}
	p = n.fill(p)
	p.LinkVerifiedEmail = n.LinkVerifiedEmail
	return p, checkIDP(p)
}

// defaultIDPScopes are asked of an upstream without a preset or --scopes.
var defaultIDPScopes = []string{oidc.ScopeOpenID, "profile", "email"}

// fill returns p with every non-empty field of n set in it.
func (n NewIdentityProvider) fill(p storage.IdentityProvider) storage.IdentityProvider {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&p.Issuer, n.Issuer)
	set(&p.ClientID, n.ClientID)
	set(&p.ClientSecret, n.ClientSecret)
	set(&p.DisplayName, n.DisplayName)
	set(&p.UsernameClaim, n.UsernameClaim)
	set(&p.GroupsClaim, n.GroupsClaim)
	set(&p.GroupsPrefix, n.GroupsPrefix)
	set(&p.Provision, n.Provision)
	if n.Scopes != nil {
		p.Scopes = names.Dedupe(n.Scopes)
	}
	return p
}

// checkIDP checks a provider's fields, the issuer last.
func checkIDP(p storage.IdentityProvider) error {
	switch {
	case p.ClientID == "":
		return invalid(errors.New("no client ID: register the hub at the upstream and give its --client-id"))
	case p.ClientSecret == "":
		return invalid(errors.New("no client secret: write the hub's secret at the upstream on standard input"))
	case p.Provision != storage.ProvisionAuto && p.Provision != storage.ProvisionOff:
		return invalid(fmt.Errorf("invalid provisioning %q: use %s or %s", p.Provision, storage.ProvisionAuto, storage.ProvisionOff))
	case !slices.Contains(p.Scopes, oidc.ScopeOpenID):
		return invalid(errors.New("the scopes must include openid (OpenID Connect Core §3.1.2.1)"))
	case p.UsernameClaim == "":
		return invalid(errors.New("no username claim"))
	}
	if err := checkGroups(p.GroupsClaim, p.GroupsPrefix); err != nil {
		return err
	}
	if err := names.CheckText("--display-name", p.DisplayName); err != nil {
		return invalid(err)
	}
	return CheckUpstreamIssuer(p.Issuer)
}

// groupsPrefixEnds are the characters a groups prefix ends in, so that it
// marks off the upstream's groups: with "lab" the upstream's "oratory"
// would be the hub's group "laboratory".
const groupsPrefixEnds = "-._"

// checkGroups checks a provider's groups claim and prefix: a claim needs a
// prefix, or the upstream would control every hub group (admins' groups
// included) through the names it sends. The prefix is the start of a
// group name (names.CheckID), leaves room for one character and ends in
// one of groupsPrefixEnds.
func checkGroups(claim, prefix string) error {
	switch {
	case claim == "" && prefix != "":
		return invalid(errors.New("--groups-prefix needs --groups-claim"))
	case claim == "":
		return nil
	case prefix == "":
		return invalid(errors.New("--groups-claim needs --groups-prefix: the upstream's groups become the hub's groups named PREFIX+name, " +
			"so that it cannot control the hub's own groups (e.g. --groups-prefix " + `"inst-"`))
	case names.CheckID("groups prefix", prefix+"x") != nil || !strings.ContainsAny(prefix[len(prefix)-1:], groupsPrefixEnds):
		return invalid(fmt.Errorf("invalid --groups-prefix %s: use 1 to %d characters from A-Z, a-z, 0-9 and . _ @ -, ending in -, . or _ (e.g. %q)",
			names.Quote(prefix), names.MaxID-1, "inst-"))
	}
	return nil
}

// CheckUpstreamIssuer checks an upstream issuer by the rule the hub's own
// follows (package issuer): http only on a loopback host.
func CheckUpstreamIssuer(iss string) error {
	if iss == "" {
		return invalid(errors.New("no issuer: give --issuer URL (or a --preset that has one)"))
	}
	if issuer.Check(iss, false) != nil {
		return invalid(fmt.Errorf("invalid issuer %q: use an absolute https URL without query or fragment (http only on 127.0.0.1, [::1] or localhost)", iss))
	}
	return nil
}
