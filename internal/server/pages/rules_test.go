package pages

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ next, want string }{
		{"/account", "/account"},
		{"/account?tab=tokens#new", "/account?tab=tokens#new"},
		{"", "/"},
		{"account", "/"},
		{"//evil.example/x", "/"},
		{"/\\evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/a\x7fb", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"/%zz", "/"},
	} {
		t.Run(tc.next, func(t *testing.T) {
			if got := safeNext(tc.next); got != tc.want {
				t.Errorf("safeNext(%q) = %q, want %q", tc.next, got, tc.want)
			}
		})
	}
}

func TestReadForm(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		ok         bool
	}{
		{"plain", "username=ada&password=x", true},
		{"empty", "", true},
		{"repeated field", "username=ada&username=bob", false},
		{"malformed", "username=%zz", false},
		{"too large", "a=" + strings.Repeat("x", 16<<10), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/login", strings.NewReader(tc.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if got := readForm(httptest.NewRecorder(), r); got != tc.ok {
				t.Errorf("readForm = %v, want %v", got, tc.ok)
			}
		})
	}
}

func TestBindRequest(t *testing.T) {
	p, _ := newTestPages(t)
	for _, tc := range []struct {
		name, location string
		bound          string // the request id bound, or empty
	}{
		{"login step", "/login?authRequestID=ar-1_X", "ar-1_X"},
		{"other step", "/consent?authRequestID=ar-1", ""},
		{"no id", "/login", ""},
		{"id with other characters", "/login?authRequestID=a%3Bb", ""},
		{"id too long", "/login?authRequestID=" + strings.Repeat("a", 65), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			rec.Header().Set("Location", tc.location)
			p.bindRequest(rec, httptest.NewRequest("GET", "/authorize", nil))
			cookies := rec.Result().Cookies()
			if tc.bound == "" {
				if len(cookies) != 0 {
					t.Errorf("cookies = %v, want none", cookies)
				}
				return
			}
			if len(cookies) != 1 || cookies[0].Name != requestCookie(tc.bound) || !cookies[0].HttpOnly || cookies[0].MaxAge != 600 {
				t.Fatalf("cookies = %v, want the binding cookie of %s", cookies, tc.bound)
			}
			r := httptest.NewRequest("GET", "/login", nil)
			r.AddCookie(cookies[0])
			if !startedHere(r, tc.bound) || startedHere(r, "other") {
				t.Error("startedHere does not tell the bound request from another")
			}
		})
	}
}

// The login step's redirect carries the provider an /authorize query hints
// at (idp_hint, or Keycloak's kc_idp_hint), only when it is a valid name.
func TestBindRequestCarriesIDPHint(t *testing.T) {
	p, _ := newTestPages(t)
	for _, tc := range []struct {
		name, query, want string
	}{
		{"idp_hint", "idp_hint=orcid", "orcid"},
		{"kc_idp_hint", "kc_idp_hint=lab-keycloak", "lab-keycloak"},
		{"idp_hint first", "kc_idp_hint=b&idp_hint=a", "a"},
		{"invalid name", "idp_hint=" + url.QueryEscape("<b>x</b>"), ""},
		{"none", "client_id=x", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			rec.Header().Set("Location", "/login?authRequestID=ar-1")
			p.bindRequest(rec, httptest.NewRequest("GET", "/authorize?"+tc.query, nil))
			loc, err := url.Parse(rec.Header().Get("Location"))
			if err != nil {
				t.Fatal(err)
			}
			if got := loc.Query().Get("idp_hint"); got != tc.want || loc.Query().Get("authRequestID") != "ar-1" || loc.Path != "/login" {
				t.Errorf("Location = %s, want /login with authRequestID ar-1 and idp_hint %q", loc, tc.want)
			}
		})
	}
}

func TestSecureHeaders(t *testing.T) {
	rec := httptest.NewRecorder()
	Secure(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	for name, want := range map[string]string{
		"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
	} {
		if got := rec.Header().Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") ||
		!strings.Contains(csp, "script-src 'none';") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
}

func TestScopeChoices(t *testing.T) {
	set := scopes.NewSet([]storage.Scope{{Name: "uploads:write", Description: "upload data"}})
	var got []string
	for _, c := range scopeChoices(set, []string{"users:read"}) {
		got = append(got, c.Name)
		if c.Checked != (c.Name == "users:read") {
			t.Errorf("%s checked = %v", c.Name, c.Checked)
		}
	}
	want := []string{"groups", "users:read", "groups:read", "uploads:write"}
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("choices (-want +got), sign-in and token-management scopes left out:\n%s", diff)
	}

	form := url.Values{"scope_users:read": {"on"}, "scope_groups:read": {"on"}, "scope_root:all": {"on"}, "scope_groups": {""}}
	r := httptest.NewRequest("POST", "/account/tokens", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.ParseForm()
	chosen := chosenScopes(r, set)
	if len(chosen) != 3 || chosen[2] != "root:all" {
		t.Errorf("chosen = %v, want the two offered ones and the forged root:all last (for the check to refuse)", chosen)
	}
}

func TestFormatting(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600))
	for _, tc := range []struct{ got, want string }{
		{when(at, "never"), "4 Mar 2026 04:06 UTC"},
		{when(time.Time{}, "never"), "never"},
		{plural(1, "day"), "1 day"},
		{plural(7, "day"), "7 days"},
		{plural(0, "hour"), "0 hours"},
		{capitalize("name must be set"), "Name must be set"},
		{capitalize(""), ""},
		{displayName(storage.Client{ID: "app", Name: "Data app"}), "Data app"},
		{displayName(storage.Client{ID: "app"}), "app"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
