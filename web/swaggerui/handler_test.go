package swaggerui_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/web/swaggerui"
)

func newDashboard(t *testing.T, cfg swaggerui.Config) *httptest.Server {
	t.Helper()
	h, err := swaggerui.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// fetch sends a GET with the given headers through a transport that
// leaves Accept-Encoding and the body as the server sent them.
func fetch(t *testing.T, u string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func TestFilesAreServedCompressedAndRevalidated(t *testing.T) {
	srv := newDashboard(t, swaggerui.Config{Path: "/api/v1/docs/", DocumentURL: "/api/v1/openapi.json"})
	want, err := os.ReadFile("dist/swagger-ui-bundle.js")
	if err != nil {
		t.Fatal(err)
	}
	plain, body := fetch(t, srv.URL+"/api/v1/docs/swagger-ui-bundle.js")
	if plain.StatusCode != http.StatusOK || !bytes.Equal(body, want) || plain.Header.Get("Content-Encoding") != "" {
		t.Fatalf("without Accept-Encoding: %d, %d bytes, encoding %q; want the file as is", plain.StatusCode, len(body), plain.Header.Get("Content-Encoding"))
	}
	gz, zbody := fetch(t, srv.URL+"/api/v1/docs/swagger-ui-bundle.js", "Accept-Encoding", "br, gzip;q=0.8")
	if gz.Header.Get("Content-Encoding") != "gzip" || len(zbody) >= len(want)/2 {
		t.Fatalf("with gzip accepted: encoding %q, %d bytes of %d", gz.Header.Get("Content-Encoding"), len(zbody), len(want))
	}
	zr, err := gzip.NewReader(bytes.NewReader(zbody))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, want) {
		t.Fatal("the gzipped body does not decompress to the file")
	}
	if plain.Header.Get("ETag") == "" || plain.Header.Get("ETag") == gz.Header.Get("ETag") {
		t.Errorf("ETags: plain %q, gzip %q; want two different strong tags", plain.Header.Get("ETag"), gz.Header.Get("ETag"))
	}
	for _, h := range []string{"Vary", "Cache-Control", "Content-Type"} {
		t.Logf("%s: %s", h, gz.Header.Get(h))
	}
	if gz.Header.Get("Vary") != "Accept-Encoding" || gz.Header.Get("Cache-Control") != "no-cache" ||
		gz.Header.Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Errorf("headers: %v", gz.Header)
	}
	tests := []struct {
		name, encoding, tag string
		want                int
	}{
		{"gzip tag, gzip accepted", "gzip", gz.Header.Get("ETag"), http.StatusNotModified},
		{"plain tag, no encoding", "", plain.Header.Get("ETag"), http.StatusNotModified},
		{"gzip tag, no encoding", "", gz.Header.Get("ETag"), http.StatusOK},
		{"gzip refused with q=0", "gzip;q=0, identity", gz.Header.Get("ETag"), http.StatusOK},
		{"any of a list", "gzip", `"x", ` + gz.Header.Get("ETag"), http.StatusNotModified},
		{"another tag", "gzip", `"x"`, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetch(t, srv.URL+"/api/v1/docs/swagger-ui-bundle.js", "Accept-Encoding", tt.encoding, "If-None-Match", tt.tag)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want == http.StatusNotModified && len(body) != 0 {
				t.Errorf("a 304 with %d bytes of body", len(body))
			}
		})
	}
}

func TestPageAndConfig(t *testing.T) {
	srv := newDashboard(t, swaggerui.Config{Path: "/api/v1/docs/", DocumentURL: "/api/v1/openapi.json", ClientID: "hubauth-docs",
		OAuth2RedirectURL: "https://hub.example.org/api/v1/docs/oauth2-redirect.html", Scopes: []string{"openid"},
		ConnectSources: []string{"https://auth.example.org"}})
	page, body := fetch(t, srv.URL+"/api/v1/docs/")
	if page.StatusCode != http.StatusOK || !strings.Contains(string(body), `<script src="./dashboard.js" defer></script>`) {
		t.Fatalf("page: %d\n%s", page.StatusCode, body)
	}
	if strings.Contains(strings.ReplaceAll(string(body), `<script src=`, ""), "<script") {
		t.Error("the page has an inline script")
	}
	csp := page.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self';", "style-src 'self';", "img-src 'self' data:",
		"connect-src 'self' https://auth.example.org;", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q allows something unsafe", csp)
	}
	_, cfg := fetch(t, srv.URL+"/api/v1/docs/config.json")
	var got map[string]any
	if err := json.Unmarshal(cfg, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"url": "/api/v1/openapi.json", "clientId": "hubauth-docs", "scopes": []any{"openid"},
		"oauth2RedirectUrl": "https://hub.example.org/api/v1/docs/oauth2-redirect.html"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("config.json (-want +got):\n%s", d)
	}
	tests := []struct {
		path     string
		want     int
		location string
	}{
		{"/api/v1/docs", http.StatusFound, "docs/"},
		{"/api/v1/docs?x=1", http.StatusFound, "docs/?x=1"},
		{"/api/v1/docs/oauth2-redirect.html", http.StatusOK, ""},
		{"/api/v1/docs/oauth2-redirect.js", http.StatusOK, ""},
		{"/api/v1/docs/LICENSE", http.StatusOK, ""},
		{"/api/v1/docs/openapi.json", http.StatusNotFound, ""}, // no Document
		{"/api/v1/docs/swagger-initializer.js", http.StatusNotFound, ""},
		{"/api/v1/docs/../../etc/passwd", http.StatusNotFound, ""},
		{"/elsewhere/index.html", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, _ := fetch(t, srv.URL+tt.path)
			if resp.StatusCode != tt.want || resp.Header.Get("Location") != tt.location {
				t.Errorf("%d %q, want %d %q", resp.StatusCode, resp.Header.Get("Location"), tt.want, tt.location)
			}
		})
	}
	resp, err := http.Post(srv.URL+"/api/v1/docs/", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

func TestDocumentServedWithThePage(t *testing.T) {
	doc, err := os.ReadFile("testdata/pets.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := newDashboard(t, swaggerui.Config{Path: "/docs/", Document: doc})
	resp, body := fetch(t, srv.URL+"/docs/openapi.json")
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, doc) || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%d %q: %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	_, cfg := fetch(t, srv.URL+"/docs/config.json")
	if !strings.Contains(string(cfg), `"url":"openapi.json"`) {
		t.Errorf("config.json = %s, want the document next to the page", cfg)
	}
}

func TestBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  swaggerui.Config
	}{
		{"no path", swaggerui.Config{DocumentURL: "/openapi.json"}},
		{"path without the final slash", swaggerui.Config{Path: "/docs", DocumentURL: "/openapi.json"}},
		{"no document", swaggerui.Config{Path: "/docs/"}},
		{"document not JSON", swaggerui.Config{Path: "/docs/", Document: []byte("openapi: 3.1.0")}},
		{"relative redirect", swaggerui.Config{Path: "/docs/", DocumentURL: "/o.json", OAuth2RedirectURL: "/docs/oauth2-redirect.html"}},
		{"redirect to another page", swaggerui.Config{Path: "/docs/", DocumentURL: "/o.json", OAuth2RedirectURL: "https://a.example/cb"}},
		{"connect source with a path", swaggerui.Config{Path: "/docs/", DocumentURL: "/o.json", ConnectSources: []string{"https://a.example/token"}}},
		{"connect source not http", swaggerui.Config{Path: "/docs/", DocumentURL: "/o.json", ConnectSources: []string{"javascript:alert(1)"}}},
		{"connect source with a space", swaggerui.Config{Path: "/docs/", DocumentURL: "/o.json", ConnectSources: []string{"https://a.example 'unsafe-eval'"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := swaggerui.New(tt.cfg); !errors.Is(err, swaggerui.ErrConfig) {
				t.Errorf("New = %v, want ErrConfig", err)
			}
		})
	}
}

// TestEmbeddedFilesMatchTheirSums checks the committed Swagger UI files
// against SHA256SUMS, which update.sh checked them against when it copied
// them from the npm tarball: an edited or truncated file fails here.
func TestEmbeddedFilesMatchTheirSums(t *testing.T) {
	f, err := os.Open("SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); n++ {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q", sc.Text())
		}
		b, err := os.ReadFile(filepath.Join("dist", name))
		if err != nil {
			t.Fatal(err)
		}
		got := sha256.Sum256(b)
		if hex.EncodeToString(got[:]) != sum {
			t.Errorf("dist/%s does not match SHA256SUMS: run web/swaggerui/update.sh", name)
		}
	}
	if n < 5 {
		t.Errorf("SHA256SUMS lists %d files", n)
	}
	if v := swaggerui.Version(); v != "5.35.0" {
		t.Errorf("Version() = %q", v)
	}
}

// BenchmarkBundle serves swagger-ui-bundle.js (1.7 MB; gzip, compressed
// once at start) and its 304 revalidation, without the network.
func BenchmarkBundle(b *testing.B) {
	h, err := swaggerui.New(swaggerui.Config{Path: "/docs/", DocumentURL: "/openapi.json"})
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/docs/swagger-ui-bundle.js", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	tag := rec.Header().Get("ETag")
	b.Run("gzip", func(b *testing.B) {
		for b.Loop() {
			h.ServeHTTP(httptest.NewRecorder(), req)
		}
	})
	b.Run("304", func(b *testing.B) {
		cond := req.Clone(req.Context())
		cond.Header.Set("If-None-Match", tag)
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, cond)
			if rec.Code != http.StatusNotModified {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}
