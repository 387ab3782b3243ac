package pages

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/account", "//evil.example", "https://evil.example", "/\\evil", "/a\r\nb", "", "/\t/evil.example", "/%09/evil"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") ||
			strings.ContainsAny(got, "\\\r\n\t\x00") {
			t.Fatalf("safeNext(%q) = %q leaves the site", next, got)
		}
		// What a browser does with the Location: drop tabs and newlines.
		if cleaned := strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(got); strings.HasPrefix(cleaned, "//") {
			t.Fatalf("safeNext(%q) = %q becomes %q in a browser", next, got, cleaned)
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
