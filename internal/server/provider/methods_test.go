package provider

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestGuard(t *testing.T) {
	var gotName string
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		gotName = sessionLabel(r.Form)
		switch r.URL.Query().Get("answer") {
		case "invalid_client":
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":"invalid_client"}`))
		case "invalid_grant":
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":"invalid_grant"}`))
		case "400 without body":
			w.WriteHeader(http.StatusBadRequest)
		case "401":
			w.WriteHeader(http.StatusUnauthorized)
		}
	})
	h := Guard(inner)
	for _, tc := range []struct {
		name, method, target    string
		status                  int
		header, value, wantName string
	}{
		{name: "GET at the token endpoint", method: "GET", target: PathToken, status: 405, header: "Allow", value: "POST"},
		{name: "GET at introspection", method: "GET", target: PathIntrospect, status: 405, header: "Allow", value: "POST"},
		{name: "OPTIONS passes (CORS)", method: "OPTIONS", target: PathToken, status: 200},
		{name: "invalid_client is a 401 (RFC 6749 §5.2)", method: "POST", target: PathToken + "?answer=invalid_client", status: 401,
			header: "WWW-Authenticate", value: `Basic realm="hubauth"`},
		{name: "other 400 stays", method: "POST", target: PathRevoke + "?answer=invalid_grant", status: 400, header: "WWW-Authenticate"},
		{name: "held 400 without a body", method: "POST", target: PathToken + "?answer=400+without+body", status: 400},
		{name: "userinfo 401 gets the bearer challenge (RFC 6750 §3)", method: "GET", target: PathUserinfo + "?answer=401", status: 401,
			header: "WWW-Authenticate", value: `Bearer realm="hubauth", error="invalid_token"`},
		{name: "token_name carried", method: "GET", target: PathAuthorize + "?token_name=+laptop+", status: 200, wantName: "laptop"},
		{name: "token_name with a control character", method: "GET", target: PathAuthorize + "?token_name=a%07b", status: 400},
		{name: "token_name not UTF-8", method: "POST", target: PathDevice + "?token_name=%ff", status: 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gotName = ""
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.target, nil))
			if rec.Code != tc.status {
				t.Errorf("%s %s = %d %s, want %d", tc.method, tc.target, rec.Code, rec.Body, tc.status)
			}
			if tc.header != "" && rec.Header().Get(tc.header) != tc.value {
				t.Errorf("%s = %q, want %q", tc.header, rec.Header().Get(tc.header), tc.value)
			}
			if gotName != tc.wantName {
				t.Errorf("session name = %q, want %q", gotName, tc.wantName)
			}
		})
	}
}

func TestTokenName(t *testing.T) {
	long := strings.Repeat("é", 70)
	for _, tc := range []struct {
		name, in, want string
		ok             bool
	}{
		{"plain", "laptop", "laptop", true},
		{"trimmed", "  laptop\t", "laptop", true},
		{"empty", "", "", true},
		{"cut to 64 characters", long, strings.Repeat("é", 64), true},
		{"cut, then trimmed", strings.Repeat("a", 63) + " b", strings.Repeat("a", 63), true},
		{"control character", "lap\x00top", "", false},
		{"not UTF-8", "lap\xfftop", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := TokenName(tc.in)
			if (err == nil) != tc.ok || got != tc.want {
				t.Errorf("TokenName(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
			}
		})
	}
}
