package provider

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server/throttle"
)

func TestCheckParams(t *testing.T) {
	for _, tc := range []struct {
		name, encoded, wantErr string
	}{
		{"ordinary", "client_id=cli&scope=openid+profile&state=xyz", ""},
		{"state at 2 KiB", "state=" + strings.Repeat("s", 2<<10), ""},
		{"state over 2 KiB", "state=" + strings.Repeat("s", 2<<10+1), `too large: "state" is longer than 2048 bytes`},
		{"unknown parameter over 2 KiB", "zz=" + strings.Repeat("s", 2<<10+1), `"zz" is longer than 2048`},
		{"id_token_hint has its own cap", "id_token_hint=" + strings.Repeat("e", 8<<10), ""},
		{"client_id over its cap", "client_id=" + strings.Repeat("c", 257), `"client_id" is longer than 256`},
		{"max_age over its cap", "max_age=" + strings.Repeat("9", 21), `"max_age" is longer than 20`},
		{"a repeated value over the cap", "prompt=login&prompt=" + strings.Repeat("x", 65), `"prompt" is longer than 64`},
		{"bad escape", "state=%zz", "malformed: a parameter is not properly encoded"},
		{"not UTF-8", "login_hint=%ff", `malformed: "login_hint" is not UTF-8 text`},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkParams(tc.encoded)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("checkParams = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestRequestLimitsHandler(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC) }
	limits := RequestLimits{Authorize: throttle.NewKeyed(1, 2, 100, now), Device: throttle.NewKeyed(1, 1, 100, now)}
	var seen string
	provider := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen = string(body)
	})
	h := limits.Handler(provider)
	form := func(path, body string) *http.Request {
		r := httptest.NewRequest("POST", path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}
	for _, tc := range []struct {
		name   string
		r      *http.Request
		status int
		retry  string
	}{
		{"authorize", httptest.NewRequest("GET", PathAuthorize+"?client_id=cli", nil), 200, ""},
		{"authorize, query too large", httptest.NewRequest("GET", PathAuthorize+"?state="+strings.Repeat("s", 17<<10), nil), 400, ""},
		{"authorize, over the rate", httptest.NewRequest("GET", PathAuthorize, nil), 429, "1"},
		{"authorize from another address", func() *http.Request {
			r := httptest.NewRequest("GET", PathAuthorize, nil)
			r.RemoteAddr = "198.51.100.9:4000"
			return r
		}(), 200, ""},
		{"device, form not UTF-8", form(PathDevice, "client_id=%ff"), 400, ""},
		{"device, over the rate", form(PathDevice, "client_id=cli"), 429, "1"},
		{"token endpoint passes unchecked", form(PathToken, "state="+strings.Repeat("s", 17<<10)), 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, tc.r)
			if rec.Code != tc.status || rec.Header().Get("Retry-After") != tc.retry {
				t.Errorf("%s %s = %d (Retry-After %q) %s, want %d (%q)", tc.r.Method, tc.r.URL.Path, rec.Code,
					rec.Header().Get("Retry-After"), rec.Body, tc.status, tc.retry)
			}
		})
	}

	body := url.Values{"client_id": {"cli"}, "scope": {"openid"}}.Encode()
	limits.Device = throttle.NewKeyed(1, 5, 100, now)
	limits.Handler(provider).ServeHTTP(httptest.NewRecorder(), form(PathDevice, body))
	if seen != body {
		t.Errorf("the provider read the body %.40q, want %q put back after the check", seen, body)
	}
}

func TestCheckSizeBody(t *testing.T) {
	for _, tc := range []struct {
		name, contentType, body, wantErr string
	}{
		{"form", "application/x-www-form-urlencoded", "a=b", ""},
		{"form with charset", "application/x-www-form-urlencoded; charset=utf-8", "a=%ff", "not UTF-8"},
		{"other type is not parsed", "application/json", `{"a":"%ff"}`, ""},
		{"body too large", "text/plain", strings.Repeat("x", 16<<10+1), "the body is longer than 16384 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", PathDevice, strings.NewReader(tc.body))
			r.Header.Set("Content-Type", tc.contentType)
			err := checkSize(r)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("checkSize = %v, want %q", err, tc.wantErr)
			}
		})
	}
}
