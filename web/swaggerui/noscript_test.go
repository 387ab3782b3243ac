package swaggerui_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/web/swaggerui"
)

// The page's <noscript> link is the document URL the server was given,
// escaped, so it is right for the hub (document outside the dashboard)
// and for a data API's dashboard (document beside the page) alike.
func TestNoscriptLinksTheDocument(t *testing.T) {
	noscript := regexp.MustCompile(`(?s)<noscript>.*?<a href="([^"]*)">`)
	for _, tc := range []struct {
		name string
		cfg  swaggerui.Config
		want string
	}{
		{"the hub's", swaggerui.Config{Path: "/api/v1/docs/", DocumentURL: "/api/v1/openapi.json"}, "/api/v1/openapi.json"},
		{"beside the page", swaggerui.Config{Path: "/docs/", Document: []byte(`{}`)}, "openapi.json"},
		{"absolute", swaggerui.Config{Path: "/docs/", DocumentURL: "https://api.example.org/v1/openapi.json"}, "https://api.example.org/v1/openapi.json"},
		{"escaped", swaggerui.Config{Path: "/docs/", DocumentURL: `/openapi.json?a=1&b="<x>`}, `/openapi.json?a=1&amp;b=&#34;&lt;x&gt;`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newDashboard(t, tc.cfg)
			_, body := fetch(t, srv.URL+tc.cfg.Path)
			m := noscript.FindSubmatch(body)
			if m == nil || string(m[1]) != tc.want {
				t.Fatalf("noscript link %q, want %q in\n%s", m, tc.want, body)
			}
			if strings.Contains(string(body), "<script>") {
				t.Error("the page has an inline script")
			}
		})
	}
}

// A document URL that is not http(s) or relative is refused.
func TestDocumentURLScheme(t *testing.T) {
	if _, err := swaggerui.New(swaggerui.Config{Path: "/docs/", DocumentURL: "javascript:alert(1)"}); err == nil {
		t.Error("a javascript: document URL was accepted")
	}
}
