package provider

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestTokenForm: the token request's form is read whether or not it was
// parsed before, and the body is left whole for the library.
func TestTokenForm(t *testing.T) {
	const body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&client_id=pipeline"
	for _, tt := range []struct {
		name   string
		parsed bool
	}{{"unparsed", false}, {"parsed before", true}} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, PathToken, strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.parsed {
				if err := r.ParseForm(); err != nil {
					t.Fatal(err)
				}
			}
			form, ok := tokenForm(r)
			if !ok || form.Get("grant_type") != "urn:ietf:params:oauth:grant-type:token-exchange" || requestClientID(r, form) != "pipeline" {
				t.Fatalf("tokenForm = %v, %t", form, ok)
			}
			if err := r.ParseForm(); err != nil || r.PostForm.Get("client_id") != "pipeline" {
				t.Errorf("the library's parse after: %v, %v", err, r.PostForm)
			}
		})
	}
	r := httptest.NewRequest(http.MethodPost, PathToken, strings.NewReader(strings.Repeat("a", maxAuditedForm+10)))
	if _, ok := tokenForm(r); ok {
		t.Error("an oversized body was read as a form")
	}
	if b, _ := io.ReadAll(r.Body); len(b) != maxAuditedForm+10 {
		t.Errorf("the body left for the library has %d bytes, want %d", len(b), maxAuditedForm+10)
	}
}
