package hubtest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/hubtest"
)

// failures records what CheckAPI reports.
type failures struct {
	testing.TB
	got []string
}

func (f *failures) Errorf(format string, args ...any) {
	f.got = append(f.got, fmt.Sprintf(format, args...))
}

// TestCheckAPI runs CheckAPI over a fake hub whose answers are right or
// wrong by the document.
func TestCheckAPI(t *testing.T) {
	for _, tc := range []struct {
		name, method, target, auth string
		status                     int
		header, body               string
		want                       string // in the failure; "" none
	}{
		{name: "a documented 401", method: "GET", target: "/api/v1/users/me", status: 401,
			header: `Bearer realm="hubauth"`, body: `{"error":"invalid_token"}`},
		{name: "a 401 without its challenge", method: "GET", target: "/api/v1/users/me", status: 401,
			body: `{"error":"invalid_token"}`, want: "WWW-Authenticate"},
		{name: "a field of the wrong type", method: "GET", target: "/api/v1/users/me", auth: "Bearer t", status: 200,
			body: `{"id": 7}`, want: "the answer is not the document's"},
		{name: "an undocumented field", method: "GET", target: "/api/v1/users/me", auth: "Bearer t", status: 200,
			body: `{"id": "u", "shoe_size": 44}`, want: "shoe_size"},
		{name: "an undocumented status", method: "GET", target: "/api/v1/users/me", auth: "Bearer t", status: 418,
			body: `{"error":"teapot"}`, want: "status"},
		{name: "a refused request answered 200", method: "GET", target: "/api/v1/auth/app_token", auth: "Bearer t", status: 200,
			body: `{"access_token":"a","app_token":"a","token_type":"bearer","expires_in":1}`, want: "a request the document refuses"},
		{name: "an undocumented route", method: "GET", target: "/api/v1/extra", status: 200, body: `{}`, want: "lacks"},
		{name: "an unknown route answered 404", method: "GET", target: "/api/v1/extra", status: 404, body: `{"error":"not_found"}`},
		{name: "outside /api/v1", method: "GET", target: "/userinfo", status: 200, body: `nonsense`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.header != "" {
					w.Header().Set("WWW-Authenticate", tc.header)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			})
			f := &failures{TB: t}
			r := httptest.NewRequest(tc.method, tc.target, nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			hubtest.CheckAPI(f, fake).ServeHTTP(httptest.NewRecorder(), r)
			switch {
			case tc.want == "" && len(f.got) > 0:
				t.Errorf("failures %q, want none", f.got)
			case tc.want != "" && (len(f.got) != 1 || !strings.Contains(f.got[0], tc.want)):
				t.Errorf("failures %q, want one mentioning %q", f.got, tc.want)
			}
		})
	}
}
