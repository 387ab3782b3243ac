package server_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// countRows counts the rows of a table in the hub's SQLite database.
func (h *hub) countRows(t *testing.T, table string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+h.DB+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// filler returns n parameters x0, x1, … whose encoding, with the leading
// "&", is exactly size bytes in all.
func filler(n, size int) string {
	var b strings.Builder
	for i := range n {
		name := fmt.Sprintf("&x%d=", i)
		value := (size - b.Len()) / (n - i)
		b.WriteString(name + strings.Repeat("v", value-len(name)))
	}
	return b.String()
}

// Authorization requests are bounded before anything is stored: 400 on the
// hub's error page beyond a cap or for a parameter that does not decode (the
// redirect URI is not validated yet), the size checked before anything is
// decoded; a request at the caps goes through.
func TestAuthorizeRequestCaps(t *testing.T) {
	h := newHub(t)
	_, challenge := pkce()
	base := h.cliConfig().AuthCodeURL("s", oauth2.S256ChallengeOption(challenge))
	base = strings.Replace(base, "&state=s", "", 1) // the rows below set state
	u, _ := url.Parse(base)
	room := 16<<10 - len(u.RawQuery) - len("&state=s") // for filler up to 16 KiB
	tests := []struct {
		name, query string
		want        int
		says        string // in the error page
	}{
		{"900 KB state", "&state=" + strings.Repeat("a", 900<<10), http.StatusBadRequest, "too large"},
		{"state over 2 KiB", "&state=" + strings.Repeat("a", 2049), http.StatusBadRequest, "too large"},
		{"nonce over 2 KiB", "&state=s&nonce=" + strings.Repeat("a", 2049), http.StatusBadRequest, "too large"},
		{"login_hint over 256 bytes", "&state=s&login_hint=" + strings.Repeat("a", 257), http.StatusBadRequest, "too large"},
		{"ui_locales over 256 bytes", "&state=s&ui_locales=" + strings.Repeat("en+", 90), http.StatusBadRequest, "too large"},
		{"unknown parameter over 2 KiB", "&state=s&x=" + strings.Repeat("a", 2049), http.StatusBadRequest, "too large"},
		{"query over 16 KiB", "&state=s" + filler(9, room+1), http.StatusBadRequest, "too large"},
		{"state not UTF-8", "&state=%ff%fe", http.StatusBadRequest, "not UTF-8"},
		{"login_hint not UTF-8", "&state=s&login_hint=a%c3", http.StatusBadRequest, "not UTF-8"},
		{"bad escape", "&state=s&x=%zz", http.StatusBadRequest, "not properly encoded"},
		{"bad escape in a query over 16 KiB", "&state=%zz" + filler(9, room+1), http.StatusBadRequest, "too large"},
		{"state and nonce at 2 KiB", "&state=" + strings.Repeat("a", 2048) + "&nonce=" + strings.Repeat("b", 2048), http.StatusOK, ""},
		{"query at 16 KiB", "&state=s" + filler(9, room), http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.countRows(t, "auth_requests")
			p := h.newBrowser(t).get(base + tt.query)
			if p.Status != tt.want {
				t.Fatalf("status %d, want %d\n%.300s", p.Status, tt.want, p.Body)
			}
			stored := h.countRows(t, "auth_requests") - before
			switch {
			case tt.want == http.StatusOK && (stored != 1 || !strings.Contains(p.Body, `action="/login"`)):
				t.Errorf("a request at the caps: %d rows stored, want the login page and 1", stored)
			case tt.want != http.StatusOK && (stored != 0 || !strings.Contains(p.Body, tt.says)):
				t.Errorf("a request beyond a cap: %d rows stored, want the error page saying %q and none\n%.300s", stored, tt.says, p.Body)
			}
		})
	}
}

// Device authorization requests are bounded too, with OAuth JSON errors.
func TestDeviceAuthorizationCaps(t *testing.T) {
	h := newHub(t)
	form := func(k, v string) url.Values {
		f := url.Values{"client_id": {"hubauth-cli"}, "scope": {"openid"}}
		f.Set(k, v)
		return f
	}
	tests := []struct {
		name string
		form url.Values
		want int
	}{
		{"scope over 2 KiB", form("scope", "openid"+strings.Repeat(" openid", 293)), http.StatusBadRequest},
		{"token_name over 256 bytes", form("token_name", strings.Repeat("n", 257)), http.StatusBadRequest},
		{"body over 16 KiB", form("x", strings.Repeat("a", 16<<10)), http.StatusBadRequest},
		{"token_name at 256 bytes", form("token_name", strings.Repeat("n", 256)), http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.countRows(t, "device_auths")
			status, body, _ := h.postForm(t, "/oauth/device_authorization", tt.form)
			stored := h.countRows(t, "device_auths") - before
			if status != tt.want {
				t.Fatalf("status %d %v, want %d", status, body, tt.want)
			}
			if tt.want == http.StatusBadRequest && (body["error"] != "invalid_request" || stored != 0) {
				t.Errorf("%v with %d rows stored, want invalid_request and none", body, stored)
			}
		})
	}
	t.Run("body with a bad escape", func(t *testing.T) {
		before := h.countRows(t, "device_auths")
		resp, err := http.Post(h.URL+"/oauth/device_authorization", "application/x-www-form-urlencoded",
			strings.NewReader("client_id=hubauth-cli&scope=openid&x=%zz"))
		if err != nil {
			t.Fatal(err)
		}
		status, body, _ := decode(t, resp)
		stored := h.countRows(t, "device_auths") - before
		if desc, _ := body["error_description"].(string); status != http.StatusBadRequest || body["error"] != "invalid_request" ||
			!strings.Contains(desc, "not properly encoded") || stored != 0 {
			t.Errorf("%d %v with %d rows stored, want 400 invalid_request, the parameter not properly encoded, and none", status, body, stored)
		}
	})
}

// Both endpoints are rate-limited per address: 429 with Retry-After, for a
// malformed request too (the limit comes before anything reads it).
func TestAuthorizationRequestsAreRateLimited(t *testing.T) {
	h := newHub(t)
	for _, lim := range perAddressLimits[3:] {
		t.Run(lim.name, func(t *testing.T) {
			throttle(t, h, lim.method, lim.path, lim.form, nil)
			sep := "?"
			if strings.Contains(lim.path, "?") {
				sep = "&"
			}
			for _, path := range []string{lim.path, lim.path + sep + "x=%zz"} {
				resp := h.sendVia(t, http.DefaultClient, lim.method, path, nil, lim.form)
				if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
					t.Errorf("%s: %d Retry-After %q, want 429 with Retry-After", path, resp.StatusCode, resp.Header.Get("Retry-After"))
				}
			}
		})
	}
}
