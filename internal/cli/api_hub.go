package cli

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// discoverResource reads the protected-resource metadata (RFC 9728) of the
// data API apiURL, under --insecure-http's rule.
func (o *userOptions) discoverResource(apiURL string) (client.ResourceMetadata, error) {
	return client.DiscoverResource(o.Ctx, apiURL, client.DiscoverOptions{
		AllowInsecureHTTP: o.InsecureHTTP || envBool(o.Getenv, envInsecureHTTP),
	})
}

// hubFor is the hub of `hubauth login --for API`: the one authorization
// server the API's metadata names, or among several the one --server
// gives.
func (o *LoginOptions) hubFor() (string, error) {
	meta, err := o.discoverResource(o.For)
	if err != nil {
		return "", fmt.Errorf("--for %s: %w", o.For, err)
	}
	hubs := meta.AuthorizationServers
	switch {
	case o.Server != "" && !slices.ContainsFunc(hubs, func(h string) bool { return sameURL(h, o.Server) }):
		return "", cmdutil.UsageErrorf("the API at %s takes tokens from %s, not from --server %s", o.For, strings.Join(hubs, ", "), o.Server)
	case o.Server != "":
		return o.Server, nil
	case len(hubs) > 1:
		return "", cmdutil.UsageErrorf("the API at %s takes tokens from several hubs: choose one with --server (%s)", o.For, strings.Join(hubs, ", "))
	}
	if err := o.trustHub(hubs[0]); err != nil {
		return "", err
	}
	fmt.Fprintf(o.IO.ErrOut, "The API at %s takes tokens from %s.\n", meta.Resource, hubs[0])
	return hubs[0], nil
}

// apiHub is the hub of the data API that target (a full URL) belongs to,
// from its metadata: that of target itself, else of its origin (where a
// data API such as examples/datahub publishes it). "" when none says, or
// when target is a path on the server.
func (o *APIOptions) apiHub() string {
	u, err := url.Parse(o.Target)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return ""
	}
	origin := u.Scheme + "://" + u.Host
	u.RawQuery, u.Fragment = "", ""
	ids := []string{u.String()}
	if !sameURL(ids[0], origin) {
		ids = append(ids, origin)
	}
	for _, id := range ids {
		if meta, err := o.discoverResource(id); err == nil {
			return meta.AuthorizationServers[0]
		}
	}
	return ""
}

// sameURL compares two servers' URLs, a trailing slash aside.
func sameURL(a, b string) bool { return strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/") }
