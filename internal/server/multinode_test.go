package server_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/keys"
	"github.com/hubauth/hubauth/internal/server/scopes"
)

// keyRefresh is how often the nodes of TestTwoNodes re-read the signing
// keys: a rotation made anywhere is published by every node within it
// (plus one database read), 5 s by default.
const keyRefresh = 200 * time.Millisecond

// twoNodes starts two hubs, each with its own store (connection pool) on
// the same fresh PostgreSQL schema, as two `hubauth serve` processes behind
// a load balancer. Both have the same issuer, the load balancer's public
// URL: here node A's URL, node B being reached directly as the balancer
// would forward to it. The library takes the issuer from the
// configuration, not from the Host header, so B answers with A's issuer.
func twoNodes(t *testing.T, opts ...option) (a, b *hub) {
	t.Helper()
	dsn := pgSchema(t)
	opts = append(opts, func(c *server.Config) { c.KeyRefresh = keyRefresh })
	a = &hub{hubtest.New(t, hubtest.WithStore(openPG(t, dsn)), hubtest.WithConfig(opts...))}
	b = &hub{hubtest.New(t, hubtest.WithStore(openPG(t, dsn)), hubtest.WithIssuer(a.URL), hubtest.WithConfig(opts...))}
	a.AddUser(t, demoUser, demoPassword)
	return a, b
}

// passwordLogin logs in at h with the NOMAD-style endpoint.
func (h *hub) passwordLogin(t *testing.T) (access, refresh string) {
	t.Helper()
	status, body, _ := h.postForm(t, "/api/v1/auth/token", url.Values{"username": {demoUser}, "password": {demoPassword}})
	if status != 200 {
		t.Fatalf("password login at %s: %d %v", h.URL, status, body)
	}
	return body["access_token"].(string), body["refresh_token"].(string)
}

func TestTwoNodes(t *testing.T) {
	a, b := twoNodes(t)
	sec := a.AddClient(t, resourceClient)

	t.Run("tokens issued by A refresh at B", func(t *testing.T) {
		_, rt := a.passwordLogin(t)
		next, e := refresh(t, b, rt)
		if e != "" {
			t.Fatalf("refresh at B: %s", e)
		}
		if _, e := refresh(t, a, next); e != "" {
			t.Fatalf("refresh of B's token at A: %s", e)
		}
	})

	t.Run("device code started at A, approved at B, polled at A", func(t *testing.T) {
		cfg := a.cliConfig()
		da := startDevice(t, cfg)
		p := b.newBrowser(t).approveDevice(da.UserCode, "approve")
		if p.Status != http.StatusOK || !strings.Contains(p.Body, "Device connected") {
			t.Fatalf("approve at B: %d\n%s", p.Status, p.Body)
		}
		tok, err := cfg.DeviceAccessToken(context.Background(), da)
		if err != nil || tok.RefreshToken == "" {
			t.Fatalf("device token at A: %v", err)
		}
	})

	t.Run("revocation at A is inactive in B's introspection", func(t *testing.T) {
		access, rt := a.passwordLogin(t)
		if !b.introspect(t, sec, access)["active"].(bool) {
			t.Fatal("fresh token inactive at B")
		}
		if s, body, _ := a.postForm(t, "/oauth/revoke", url.Values{"token": {access}, "client_id": {"hubauth-cli"}}); s != 200 {
			t.Fatalf("revoke at A: %d %v", s, body)
		}
		revoked := time.Now()
		if a.introspect(t, sec, access)["active"] != false {
			t.Error("access token revoked at A is active at A")
		}
		// B held the token verified: it sees the revocation within
		// bearer.VerifiedTTL (plus a database read).
		bound := bearer.VerifiedTTL + 200*time.Millisecond
		for b.introspect(t, sec, access)["active"] != false {
			if time.Since(revoked) > bound {
				t.Fatalf("access token revoked at A still active at B %v after", bound)
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Logf("B sees the revocation %v after it (bound %v)", time.Since(revoked).Round(time.Millisecond), bound)
		_, rt2 := a.passwordLogin(t)
		// Revoking a refresh token ends its session: B refuses to refresh it.
		if s, body, _ := a.postForm(t, "/oauth/revoke", url.Values{"token": {rt}, "client_id": {"hubauth-cli"}}); s != 200 {
			t.Fatalf("revoke refresh token at A: %d %v", s, body)
		}
		if _, e := refresh(t, b, rt); e != "invalid_grant" {
			t.Errorf("refresh at B of a token revoked at A: %q, want invalid_grant", e)
		}
		if _, e := refresh(t, b, rt2); e != "" {
			t.Errorf("another session was hit by the revocation: %s", e)
		}
	})

	t.Run("browser session from A is honoured by B", func(t *testing.T) {
		jar, _ := cookiejar.New(nil)
		ba, bb := browserWithJar(t, a, jar), browserWithJar(t, b, jar)
		a.browserLogin(t, ba, a.cliConfig())
		// Cookies are per host, not per port: the jar sends A's cookie to B,
		// as a browser sends the balancer's cookie to whichever node.
		verifier := oauth2.GenerateVerifier()
		p := bb.authorize(b.cliConfig(), "st4te", oauth2.S256ChallengeOption(verifier))
		if p.Location == nil {
			t.Fatalf("B asked to log in again: %d %s\n%s", p.Status, p.URL, p.Body)
		}
		// The code B issued is redeemed at A.
		if _, err := a.cliConfig().Exchange(context.Background(), codeFrom(t, p, "st4te"), oauth2.VerifierOption(verifier)); err != nil {
			t.Fatalf("exchange at A of B's code: %v", err)
		}
	})

	t.Run("a rotated key is published by both nodes", func(t *testing.T) {
		next, err := keys.Generate(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Store.RotateSigningKeys(context.Background(), next); err != nil {
			t.Fatal(err)
		}
		rotated := time.Now()
		bound := keyRefresh + time.Second // one refresh period plus a database read
		for _, h := range []*hub{a, b} {
			for !publishes(t, h, next.ID) {
				if time.Since(rotated) > bound {
					t.Fatalf("%s does not publish the new key %v after the rotation", h.URL, bound)
				}
				time.Sleep(20 * time.Millisecond)
			}
			access, _ := h.passwordLogin(t)
			if got := kid(t, access); got != next.ID {
				t.Errorf("%s signs with %s after the rotation, want %s", h.URL, got, next.ID)
			}
		}
		t.Logf("both nodes publish the new key %v after the rotation (bound %v)", time.Since(rotated).Round(time.Millisecond), bound)
	})

	t.Run("a scope registered on the database is granted by both nodes", func(t *testing.T) {
		if err := a.Store.CreateScope(context.Background(), uploadsWrite); err != nil {
			t.Fatal(err)
		}
		for _, h := range []*hub{a, b} {
			h.Clock.Advance(scopes.CacheTTL)
			status, body, _ := h.postForm(t, "/api/v1/auth/token", url.Values{"username": {demoUser}, "password": {demoPassword}, "scope": {"openid uploads:write"}})
			if status != http.StatusOK {
				t.Errorf("%s: login with uploads:write %s after its registration: %d %v", h.URL, scopes.CacheTTL, status, body)
			}
		}
	})
}

// browserWithJar is a browser on h that shares its cookies with others.
func browserWithJar(t *testing.T, h *hub, jar http.CookieJar) *browser {
	b := h.newBrowser(t)
	b.client.Jar = jar
	return b
}

// publishes reports whether h's JWKS has the key id.
func publishes(t *testing.T, h *hub, id string) bool {
	t.Helper()
	_, body, _ := h.getJSON(t, "/oauth/jwks", "")
	list, _ := body["keys"].([]any)
	for _, k := range list {
		if m, _ := k.(map[string]any); m["kid"] == id {
			return true
		}
	}
	return false
}

// TestGarbageCollectionLease runs the collector on two nodes: only the
// holder of the database lease collects, and when it stops the other node
// takes over within two intervals.
func TestGarbageCollectionLease(t *testing.T) {
	// The lease lasts two intervals: long enough here for a node to renew
	// it on a busy machine, short enough for the test.
	const interval = 200 * time.Millisecond
	a, b := twoNodes(t, func(c *server.Config) { c.GCInterval = interval })
	ctx := context.Background()
	dead := func(id string) {
		if err := a.Store.RevokeAccessToken(ctx, id, time.Now().Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	collected := func(id string) bool {
		revoked, err := a.Store.IsAccessTokenRevoked(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return !revoked
	}
	passes := func(h *hub) int { return strings.Count(h.Logs.String(), `"msg":"garbage collected"`) }

	dead("jti-1")
	ctxA, stopA := context.WithCancel(ctx)
	ctxB, stopB := context.WithCancel(ctx)
	defer stopB()
	go a.Server.CollectGarbage(ctxA)
	go b.Server.CollectGarbage(ctxB)
	if !eventually(func() bool { return collected("jti-1") && passes(a)+passes(b) >= 3 }) {
		t.Fatalf("jti-1 collected %v after passes A %d, B %d; want it collected", collected("jti-1"), passes(a), passes(b))
	}
	if nA, nB := passes(a), passes(b); (nA == 0) == (nB == 0) {
		t.Fatalf("passes: A %d, B %d; want one node only", nA, nB)
	}
	holder, other, stop := a, b, stopA
	if passes(b) > 0 {
		holder, other, stop = b, a, stopB
	}
	stop()
	dead("jti-2")
	before := passes(other)
	if !eventually(func() bool { return passes(other) > before && collected("jti-2") }) {
		t.Errorf("%s did not take over from %s when it stopped", other.URL, holder.URL)
	}
}

// eventually polls cond until it holds or 10 s have passed: for what
// background work does in its own time.
func eventually(cond func() bool) bool {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}
