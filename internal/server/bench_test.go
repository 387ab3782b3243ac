package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/hubauth/hubauth/internal/hubtest"
)

// BenchmarkRefreshGrant measures refresh_token grants end to end over
// loopback HTTP: rotation in SQLite, two ES256 signatures.
func BenchmarkRefreshGrant(b *testing.B) {
	h := newBenchHub(&testing.T{})
	b.RunParallel(func(pb *testing.PB) {
		t := &testing.T{}
		rt := passwordRefreshToken(t, h)
		for pb.Next() {
			next, e := refresh(t, h, rt)
			if e != "" {
				b.Fatalf("refresh: %s", e)
			}
			rt = next
		}
	})
}

// BenchmarkClientCredentialsGrant measures service-account token issuance.
func BenchmarkClientCredentialsGrant(b *testing.B) {
	t := &testing.T{}
	h := newBenchHub(t)
	sec := h.AddClient(t, resourceClient)
	cc := clientcredentials.Config{ClientID: resourceClient.ID, ClientSecret: sec, TokenURL: h.URL + "/oauth/token"}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := cc.Token(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// newBenchHub is newHub without hubtest.CheckAPI: the benchmarks measure
// the hub, not the OpenAPI validation of each answer.
func newBenchHub(t *testing.T) *hub {
	return &hub{hubtest.New(t, hubtest.WithoutAPICheck(), hubtest.WithUser(demoUser, demoPassword))}
}

func passwordRefreshToken(t *testing.T, h *hub) string {
	resp, err := http.Post(h.URL+"/api/v1/auth/token", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"username": {demoUser}, "password": {demoPassword}}.Encode()))
	if err != nil {
		panic(err)
	}
	_, body, _ := decode(t, resp)
	return body["refresh_token"].(string)
}

// BenchmarkUsersMe measures one /api/v1 request with an access token end
// to end over loopback HTTP: the bearer check (signature, revocation,
// session, client, user) and the answer.
func BenchmarkUsersMe(b *testing.B) {
	t := &testing.T{}
	h := newBenchHub(t)
	token := h.userToken(t, demoUser)
	b.ReportAllocs()
	for b.Loop() {
		if status, body, _ := h.getJSON(t, "/api/v1/users/me", token); status != http.StatusOK {
			b.Fatalf("users/me: %d %v", status, body)
		}
	}
}

// BenchmarkUsersMePersonal measures the personal-token check end to end
// over loopback HTTP from parallel clients: the token looked up by its
// hash, its user, its last use recorded, and the answer.
func BenchmarkUsersMePersonal(b *testing.B) {
	t := &testing.T{}
	h := newBenchHub(t)
	status, created, _ := h.send(t, "POST", "/api/v1/tokens", h.userToken(t, demoUser), `{"name":"bench","expires_in":3600}`)
	pat, _ := created["token"].(string)
	if status != http.StatusCreated || pat == "" {
		b.Fatalf("create a personal token: %d %v", status, created)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if status, body, _ := h.getJSON(t, "/api/v1/users/me", pat); status != http.StatusOK {
				b.Fatalf("users/me: %d %v", status, body)
			}
		}
	})
}

// BenchmarkIntrospect measures RFC 7662 introspection of a user's JWT
// access token by a resource server end to end over loopback HTTP from
// parallel clients: client authentication, the token verified (cached
// after the first use), the user and the answer.
func BenchmarkIntrospect(b *testing.B) {
	t := &testing.T{}
	h := newBenchHub(t)
	sec := h.AddClient(t, resourceClient)
	token := h.userToken(t, demoUser)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if body := h.introspect(t, sec, token); body["active"] != true {
				b.Fatalf("introspect: %v", body)
			}
		}
	})
}
