package upstream_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// fixture is a tiny OpenID Connect provider of the tests' own on
// 127.0.0.1: discovery, JWKS, an authorization endpoint that approves at
// once and a token endpoint that checks the client and PKCE, then signs an
// ID token, which its knobs can make wrong (key, nonce, audience, issuer).
// It is a test upstream, not a stand-in of the hub's code.
type fixture struct {
	URL      string
	ClientID string
	Secret   string
	key      *ecdsa.PrivateKey
	busy     atomic.Int64 // nanoseconds spent in its handlers

	mu    sync.Mutex
	knobs knobs
	codes map[string]grant
	asked url.Values    // the query of the last authorization request
	stop  chan struct{} // closed at the end of the test: hanging handlers return
}

// knobs change what the fixture answers; the zero value is a correct
// provider.
type knobs struct {
	sub, username, email, name string
	emailVerified              any
	groups                     any
	signWith                   *ecdsa.PrivateKey // another key: a bad signature
	nonce                      *string           // a wrong nonce
	aud, iss                   string            // a wrong audience or issuer in the ID token
	sendIss, announceIss       bool              // RFC 9207
	issParam                   string            // iss parameter sent instead of the issuer
	authError                  string            // error answered at the authorization endpoint
	hangToken                  bool              // the token endpoint never answers
	failToken                  int               // status of a failing token endpoint
	auds                       []string          // several audiences in the ID token
	azp                        string            // the ID token's azp claim
	expired                    bool              // the ID token expired a minute ago
	noIDToken                  bool              // the token response has no id_token
	authTime                   time.Time         // the ID token's auth_time
	userinfoSub                string            // set: a userinfo endpoint answers this sub
	jwksDown                   bool              // the JWKS endpoint drops the connection
	hangJWKS                   bool              // the JWKS endpoint never answers
	algs                       []string          // id_token_signing_alg_values_supported
}

// grant is an authorization the token endpoint redeems.
type grant struct{ nonce, challenge string }

func newFixture(t testing.TB) *fixture {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	f := &fixture{ClientID: "hub", Secret: "fixture-secret", key: key, codes: map[string]grant{}}
	f.knobs = f.defaults()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", f.discovery)
	mux.HandleFunc("GET /jwks", f.jwks)
	mux.HandleFunc("GET /authorize", f.authorize)
	mux.HandleFunc("POST /token", f.token)
	mux.HandleFunc("GET /userinfo", f.userinfo)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		mux.ServeHTTP(w, r)
		f.busy.Add(int64(time.Since(start)))
	}))
	t.Cleanup(srv.Close)
	f.stop = make(chan struct{})
	t.Cleanup(func() { close(f.stop) }) // before srv.Close, which waits for the handlers
	f.URL = srv.URL
	return f
}

func (f *fixture) defaults() knobs {
	return knobs{sub: "fx-1", username: "Fixture.User", email: "fixture@example.org", name: "Fixture User", emailVerified: true}
}

// set changes the knobs.
func (f *fixture) set(change func(*knobs)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(&f.knobs)
}

func (f *fixture) get() knobs {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.knobs
}

func (f *fixture) discovery(w http.ResponseWriter, r *http.Request) {
	k := f.get()
	algs := k.algs
	if algs == nil {
		algs = []string{"ES256"}
	}
	d := map[string]any{
		"issuer": f.URL, "authorization_endpoint": f.URL + "/authorize", "token_endpoint": f.URL + "/token",
		"jwks_uri": f.URL + "/jwks", "id_token_signing_alg_values_supported": algs,
		"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"authorization_response_iss_parameter_supported": k.announceIss,
	}
	if k.userinfoSub != "" {
		d["userinfo_endpoint"] = f.URL + "/userinfo"
	}
	writeJSON(w, d)
}

// askedFor returns the query of the last authorization request.
func (f *fixture) askedFor() url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asked
}

func (f *fixture) userinfo(w http.ResponseWriter, r *http.Request) {
	k := f.get()
	writeJSON(w, map[string]any{"sub": k.userinfoSub, "email": "userinfo@example.org", "email_verified": true})
}

func (f *fixture) jwks(w http.ResponseWriter, r *http.Request) {
	switch k := f.get(); {
	case k.jwksDown:
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
		return
	case k.hangJWKS:
		select {
		case <-r.Context().Done():
		case <-f.stop:
		}
		return
	}
	writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &f.key.PublicKey, KeyID: "k1", Algorithm: "ES256", Use: "sig"}}})
}

func (f *fixture) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	k := f.get()
	f.mu.Lock()
	f.asked = q
	f.mu.Unlock()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || q.Get("client_id") != f.ClientID || q.Get("code_challenge_method") != "S256" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	v := url.Values{"state": {q.Get("state")}}
	if k.sendIss {
		v.Set("iss", f.URL)
	}
	if k.issParam != "" {
		v.Set("iss", k.issParam)
	}
	if k.authError != "" {
		v.Set("error", k.authError)
		v.Set("error_description", "<script>alert(1)</script>\x1b[2J")
	} else {
		code := randomString()
		f.mu.Lock()
		f.codes[code] = grant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge")}
		f.mu.Unlock()
		v.Set("code", code)
	}
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (f *fixture) token(w http.ResponseWriter, r *http.Request) {
	k := f.get()
	switch {
	case k.hangToken:
		r.ParseForm() // a read body lets the server see the hub hang up
		select {
		case <-r.Context().Done(): // the hub gave up
		case <-time.After(30 * time.Second):
		}
		return
	case k.failToken != 0:
		http.Error(w, "down", k.failToken)
		return
	}
	id, sec, ok := r.BasicAuth()
	if !ok {
		id, sec = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	f.mu.Lock()
	g, found := f.codes[r.PostFormValue("code")]
	delete(f.codes, r.PostFormValue("code"))
	f.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	if id != f.ClientID || sec != f.Secret {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":"invalid_client"}`))
		return
	}
	if !found || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":"invalid_grant"}`))
		return
	}
	resp := map[string]any{"access_token": "at-" + randomString(), "token_type": "Bearer", "expires_in": 300}
	if !k.noIDToken {
		resp["id_token"] = f.idToken(k, g.nonce)
	}
	writeJSON(w, resp)
}

// idToken signs the ID token of the knobs' user.
func (f *fixture) idToken(k knobs, nonce string) string {
	now := time.Now()
	c := map[string]any{"iss": f.URL, "sub": k.sub, "aud": f.ClientID, "nonce": nonce,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix()}
	for name, v := range map[string]any{"preferred_username": k.username, "email": k.email, "name": k.name,
		"email_verified": k.emailVerified, "groups": k.groups} {
		if v != nil && v != "" {
			c[name] = v
		}
	}
	if k.nonce != nil {
		c["nonce"] = *k.nonce
	}
	if k.aud != "" {
		c["aud"] = k.aud
	}
	if k.iss != "" {
		c["iss"] = k.iss
	}
	if k.auds != nil {
		c["aud"] = k.auds
	}
	if k.azp != "" {
		c["azp"] = k.azp
	}
	if k.expired {
		c["iat"], c["exp"] = now.Add(-6*time.Minute).Unix(), now.Add(-time.Minute).Unix()
	}
	if !k.authTime.IsZero() {
		c["auth_time"] = k.authTime.Unix()
	}
	key := f.key
	if k.signWith != nil {
		key = k.signWith
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		panic(err)
	}
	payload, _ := json.Marshal(c)
	jws, err := signer.Sign(payload)
	if err != nil {
		panic(err)
	}
	s, _ := jws.CompactSerialize()
	return s
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func randomString() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
