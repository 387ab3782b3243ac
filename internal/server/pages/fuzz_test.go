package pages

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/account", "//evil.example", "https://evil.example", "/\\evil", "/a\r\nb", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\r\n") {
			t.Fatalf("safeNext(%q) = %q leaves the site", next, got)
		}
	})
}

// FuzzReadForm: the login and device forms never panic and refuse repeated
// or oversized parameters.
func FuzzReadForm(f *testing.F) {
	f.Add("username=a&password=b")
	f.Add("user_code=BCDF-GHJK&user_code=x")
	f.Add("%zz=1")
	f.Add(strings.Repeat("a=1&", 5000))
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if readForm(httptest.NewRecorder(), r) {
			for k, vs := range r.PostForm {
				if len(vs) != 1 {
					t.Fatalf("parameter %q accepted %d times", k, len(vs))
				}
			}
			if len(body) > 16<<10 {
				t.Fatalf("a %d-byte form was accepted", len(body))
			}
		}
	})
}
