package pages_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/password"
	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/authn"
	"github.com/hubauth/hubauth/internal/server/pages"
	"github.com/hubauth/hubauth/internal/server/provider"
	"github.com/hubauth/hubauth/internal/server/throttle"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

const secretPassword = "correct horse battery staple"

// site is the pages over a real SQLite store and authenticator, without a
// provider: the steps that need none (sign-in to the hub itself, home,
// account, device form). ada's password is secretPassword.
type site struct {
	store *sqlite.Store
	clock *hubtest.Clock
	mux   *http.ServeMux
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{store: hubtest.SQLite(t), clock: &hubtest.Clock{}, mux: http.NewServeMux()}
	hasher := password.NewHasher(password.TestParams, 1, 0)
	t.Cleanup(hasher.Close)
	hash, err := hasher.Hash(t.Context(), secretPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.store.CreateUser(t.Context(), storage.User{ID: "u-ada", Username: "ada", Name: "Ada", PasswordHash: hash, CreatedAt: s.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	auth := &authn.Authenticator{Store: s.store, Hasher: hasher, Now: s.clock.Now,
		Guard: throttle.NewLoginGuard(throttle.LoginGuardConfig{FreeFailures: 1, Now: s.clock.Now})}
	p, err := pages.New(pages.Config{Store: s.store, Authn: auth, Logger: slog.New(slog.DiscardHandler), Now: s.clock.Now,
		Issuer: &account.Issuer{Store: s.store, Now: s.clock.Now}})
	if err != nil {
		t.Fatal(err)
	}
	p.Mount(s.mux)
	return s
}

func (s *site) serve(r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.mux.ServeHTTP(rec, r)
	return rec
}

func (s *site) login(username, pw, next string) *httptest.ResponseRecorder {
	form := url.Values{"username": {username}, "password": {pw}, "next": {next}}
	r := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.serve(r)
}

func sessionCookie(rec *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == pages.CookieName {
			return c
		}
	}
	return nil
}

func TestPlainLogin(t *testing.T) {
	for _, tc := range []struct {
		name, username, password, next string
		status                         int
		location, body                 string
	}{
		{"good password, back to the page", "ada", secretPassword, "/account", http.StatusSeeOther, "/account", ""},
		{"off-site next", "ada", secretPassword, "//evil.example", http.StatusSeeOther, "/", ""},
		{"wrong password", "ada", "nope", "", http.StatusUnauthorized, "", "Invalid username or password."},
		{"unknown user", "mallory", secretPassword, "", http.StatusUnauthorized, "", "Invalid username or password."},
		{"username not UTF-8", "ada\xff", secretPassword, "", http.StatusBadRequest, "", "The username is not valid text."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t)
			rec := s.login(tc.username, tc.password, tc.next)
			if rec.Code != tc.status || rec.Header().Get("Location") != tc.location || !strings.Contains(rec.Body.String(), tc.body) {
				t.Fatalf("POST /login = %d → %q, want %d → %q with %q", rec.Code, rec.Header().Get("Location"), tc.status, tc.location, tc.body)
			}
			c := sessionCookie(rec)
			if (c != nil) != (tc.status == http.StatusSeeOther) {
				t.Fatalf("session cookie %v after %d", c, rec.Code)
			}
			if strings.Contains(rec.Body.String(), tc.password) {
				t.Error("the page shows the password")
			}
			if c != nil && (!c.HttpOnly || c.SameSite != http.SameSiteLaxMode) {
				t.Errorf("session cookie %+v, want HttpOnly and SameSite=Lax", c)
			}
		})
	}
}

func TestLoginThrottledPage(t *testing.T) {
	s := newSite(t)
	s.login("ada", "nope", "")
	s.login("ada", "nope", "")
	rec := s.login("ada", secretPassword, "")
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" || sessionCookie(rec) != nil {
		t.Errorf("login after failures = %d (Retry-After %q), want 429 with Retry-After and no session", rec.Code, rec.Header().Get("Retry-After"))
	}
}

func TestSignedInPages(t *testing.T) {
	s := newSite(t)
	cookie := sessionCookie(s.login("ada", secretPassword, "/"))
	if cookie == nil {
		t.Fatal("no session after a good login")
	}
	for _, tc := range []struct {
		name, path   string
		signedIn     bool
		status       int
		location     string
		bodyContains string
	}{
		{"home, signed out", "/", false, http.StatusSeeOther, "/login", ""},
		{"home", "/", true, http.StatusOK, "", "<strong>ada</strong>"},
		{"account, signed out", "/account", false, http.StatusSeeOther, "/login?next=/account", ""},
		{"account", "/account", true, http.StatusOK, "", "ada"},
		{"login form when signed in", "/login?next=/account", true, http.StatusSeeOther, "/account", ""},
		{"device form", "/device?user_code=BCDF-GHJK", true, http.StatusOK, "", `value="BCDF-GHJK"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", tc.path, nil)
			if tc.signedIn {
				r.AddCookie(cookie)
			}
			rec := s.serve(r)
			if rec.Code != tc.status || rec.Header().Get("Location") != tc.location || !strings.Contains(rec.Body.String(), tc.bodyContains) {
				t.Errorf("GET %s = %d → %q, want %d → %q with %q", tc.path, rec.Code, rec.Header().Get("Location"), tc.status, tc.location, tc.bodyContains)
			}
		})
	}
}

func TestWithSession(t *testing.T) {
	s := newSite(t)
	cookie := sessionCookie(s.login("ada", secretPassword, "/"))
	var got storage.BrowserSession
	var found bool
	h := pages.WithSession(s.store, s.clock.Now, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, found = provider.BrowserSessionFrom(r.Context())
	}))
	for _, tc := range []struct {
		name   string
		cookie *http.Cookie
		want   bool
	}{
		{"live session", cookie, true},
		{"no cookie", nil, false},
		{"unknown token", &http.Cookie{Name: pages.CookieName, Value: "x"}, false},
		{"oversized cookie", &http.Cookie{Name: pages.CookieName, Value: strings.Repeat("a", 129)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			found = false
			r := httptest.NewRequest("GET", "/oauth/end_session", nil)
			if tc.cookie != nil {
				r.AddCookie(tc.cookie)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			if found != tc.want || (found && got.UserID != "u-ada") {
				t.Errorf("session in context = %v (%q), want %v", found, got.UserID, tc.want)
			}
		})
	}

	s.clock.Advance(24*time.Hour + time.Second) // past the session's lifetime
	found = false
	r := httptest.NewRequest("GET", "/oauth/end_session", nil)
	r.AddCookie(cookie)
	h.ServeHTTP(httptest.NewRecorder(), r)
	if found {
		t.Error("an expired hub session was put in the context")
	}
}
