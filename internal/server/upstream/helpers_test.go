package upstream_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/upstream"
	"github.com/hubauth/hubauth/internal/storage"
)

// rig is the hub's side of the round trip on 127.0.0.1: a real SQLite
// store, a Federation, and two routes as the pages mount them: /begin/NAME
// (Begin) and /login/NAME/callback (Finish, then SignIn on success).
type rig struct {
	t     testing.TB
	URL   string
	Store storage.Storage
	Fed   *upstream.Federation

	mu      sync.Mutex
	results map[string]result
	n       int
	ahead   time.Duration // the Federation's clock runs this far ahead
}

// advance moves the Federation's clock d ahead.
func (rg *rig) advance(d time.Duration) {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	rg.ahead += d
}

func (rg *rig) now() time.Time {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	return time.Now().Add(rg.ahead)
}

// result is what the callback route got.
type result struct {
	ID   upstream.Identity
	C    upstream.Continuation
	User storage.User
	Err  error
}

// newRig starts the hub's side; change adjusts the Federation's Config.
func newRig(t testing.TB, change ...func(*upstream.Config)) *rig {
	t.Helper()
	rg := &rig{t: t, Store: hubtest.SQLite(t), results: map[string]result{}}
	ts := httptest.NewUnstartedServer(nil)
	rg.URL = "http://" + ts.Listener.Addr().String()
	cfg := upstream.Config{Store: rg.Store, Issuer: rg.URL, Client: &http.Client{Timeout: 5 * time.Second}, Now: rg.now}
	for _, c := range change {
		c(&cfg)
	}
	rg.Fed = upstream.New(cfg)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /begin/{name}", rg.begin)
	mux.HandleFunc("GET /login/{name}/callback", rg.callback)
	ts.Config.Handler = mux
	ts.Start()
	t.Cleanup(ts.Close)
	return rg
}

func (rg *rig) begin(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c := upstream.Continuation{AuthRequestID: q.Get("authRequestID"), LinkUserID: q.Get("link"), ForceLogin: q.Has("force")}
	c.MaxAgeSeconds, _ = strconv.ParseInt(q.Get("max_age"), 10, 64)
	u, err := rg.Fed.Begin(w, r, r.PathValue("name"), c)
	if err != nil {
		w.Header().Set("X-Error", errName(err))
		http.Error(w, "begin failed", http.StatusBadGateway)
		return
	}
	http.Redirect(w, r, u, http.StatusFound)
}

func (rg *rig) callback(w http.ResponseWriter, r *http.Request) {
	id, c, err := rg.Fed.Finish(w, r, r.PathValue("name"))
	res := result{ID: id, C: c, Err: err}
	if err == nil {
		res.User, res.Err = rg.Fed.SignIn(r.Context(), id, "127.0.0.1")
	}
	rg.mu.Lock()
	rg.n++
	key := fmt.Sprint(rg.n)
	rg.results[key] = res
	rg.mu.Unlock()
	io.WriteString(w, "result "+key)
}

// errName names the sentinel of err, for a header.
func errName(err error) string {
	for name, s := range map[string]error{"unknown": upstream.ErrUnknownProvider, "unreachable": upstream.ErrUnreachable,
		"misconfigured": upstream.ErrMisconfigured} {
		if errors.Is(err, s) {
			return name
		}
	}
	return "other"
}

// addProvider stores provider p (auto provisioning, the usual claims).
func (rg *rig) addProvider(p storage.IdentityProvider) storage.IdentityProvider {
	rg.t.Helper()
	if p.Scopes == nil {
		p.Scopes = []string{"openid", "profile", "email"}
	}
	if p.UsernameClaim == "" {
		p.UsernameClaim = "preferred_username"
	}
	if p.Provision == "" {
		p.Provision = storage.ProvisionAuto
	}
	if p.DisplayName == "" {
		p.DisplayName = p.Name
	}
	p.CreatedAt = time.Now().UTC()
	if err := rg.Store.CreateIdentityProvider(rg.t.Context(), p); err != nil {
		rg.t.Fatalf("create provider %s: %v", p.Name, err)
	}
	return p
}

// callbackURL is the redirect URI of provider name.
func (rg *rig) callbackURL(name string) string { return rg.URL + "/login/" + name + "/callback" }

// browser keeps cookies and follows redirects, except that it stops at
// the hub's callback when stop is set, so that a test can change it.
type browser struct {
	t      testing.TB
	client *http.Client
	stop   bool
}

func newBrowser(t testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t}
	b.client = &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if b.stop && strings.HasSuffix(req.URL.Path, "/callback") && strings.HasPrefix(req.URL.Path, "/login/") {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return b
}

// page is a response read in full.
type page struct {
	Status int
	URL    *url.URL
	Header http.Header
	Body   string
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{Status: resp.StatusCode, URL: resp.Request.URL, Header: resp.Header, Body: string(body)}
}

func (b *browser) get(u string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.do(req)
}

func (b *browser) postForm(u string, form url.Values) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// upstreamLogin completes the upstream's own login on its page, for
// upstreams that ask; nil for those that approve at once.
type upstreamLogin func(b *browser, p page) page

// signIn runs the round trip for provider name in b and returns the
// callback's result.
func (rg *rig) signIn(b *browser, name string, login upstreamLogin) result {
	rg.t.Helper()
	p := b.get(rg.URL + "/begin/" + name)
	if login != nil {
		p = login(b, p)
	}
	return rg.resultOf(p)
}

// toCallback runs the round trip up to the hub's callback and returns
// its URL, not yet visited.
func (rg *rig) toCallback(b *browser, name string, login upstreamLogin) *url.URL {
	rg.t.Helper()
	b.stop = true
	defer func() { b.stop = false }()
	p := b.get(rg.URL + "/begin/" + name)
	if login != nil {
		p = login(b, p)
	}
	loc, err := url.Parse(p.Header.Get("Location"))
	if p.Status != http.StatusFound || err != nil || !strings.HasSuffix(loc.Path, "/callback") {
		rg.t.Fatalf("expected a redirect to the callback, got %d %s (Location %q):\n%s", p.Status, p.URL, p.Header.Get("Location"), p.Body)
	}
	return loc
}

// visit delivers callback u in b and returns the result.
func (rg *rig) visit(b *browser, u *url.URL) result {
	rg.t.Helper()
	return rg.resultOf(b.get(u.String()))
}

func (rg *rig) resultOf(p page) result {
	rg.t.Helper()
	key, ok := strings.CutPrefix(p.Body, "result ")
	if !ok {
		rg.t.Fatalf("did not reach the hub's callback: %d %s\n%s", p.Status, p.URL, p.Body)
	}
	rg.mu.Lock()
	defer rg.mu.Unlock()
	return rg.results[key]
}

// audits lists the audit events of type typ, oldest first.
func (rg *rig) audits(typ string) []storage.AuditEvent {
	rg.t.Helper()
	all, err := rg.Store.ListAudit(rg.t.Context(), 1000)
	if err != nil {
		rg.t.Fatal(err)
	}
	var out []storage.AuditEvent
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Type == typ {
			out = append(out, all[i])
		}
	}
	return out
}

// lastAudit returns the detail of the newest event of type typ.
func (rg *rig) lastAudit(typ string) string {
	rg.t.Helper()
	ev := rg.audits(typ)
	if len(ev) == 0 {
		rg.t.Fatalf("no %s audit event", typ)
	}
	return ev[len(ev)-1].Detail
}

// wantErr fails unless errors.Is(err, want) (want nil: err nil).
func wantErr(t testing.TB, err, want error) {
	t.Helper()
	if want == nil && err != nil || want != nil && !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
}
