package swaggerui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// Config says what one dashboard shows and how its Authorize button logs
// in. Only Path and a document (DocumentURL or Document) are required.
type Config struct {
	// Path is where the dashboard is mounted, starting and ending with
	// "/", e.g. "/api/v1/docs/". The handler serves Path and the files
	// below it, and redirects Path without its final slash to Path.
	Path string
	// DocumentURL is the OpenAPI document's URL, absolute or relative to
	// Path. It defaults to "openapi.json" when Document is set.
	DocumentURL string
	// Document, when set, is an OpenAPI document (JSON) served at
	// Path+"openapi.json".
	Document []byte
	// ClientID is the public OAuth client the Authorize dialog fills in
	// for every OAuth 2.0 flow of the document's security schemes. The
	// authorization code flow always uses PKCE (RFC 7636, S256).
	ClientID string
	// Scopes are ticked in the Authorize dialog when it opens.
	Scopes []string
	// OAuth2RedirectURL is the absolute URL of Path+"oauth2-redirect.html"
	// as browsers see it, which must be one of the client's registered
	// redirect URIs. Empty means: computed by the page from its own
	// address (right unless a proxy rewrites paths).
	OAuth2RedirectURL string
	// Title is the page's title; empty keeps "API dashboard".
	Title string
	// ConnectSources are origins ("https://auth.example.org") besides the
	// page's own that the page may send requests to: the issuer's token
	// endpoint when the dashboard is not served by the issuer, or an API
	// on another origin. They are added to the CSP's connect-src.
	ConnectSources []string
}

// Handler serves one dashboard. Build it with New.
type Handler struct {
	path   string
	csp    string
	files  map[string]*asset
	page   *asset // index.html with the document's URL
	config *asset
	doc    *asset
}

// ErrConfig is wrapped by the errors New returns for an unusable Config.
var ErrConfig = errors.New("swaggerui: bad configuration")

// New checks cfg and builds its dashboard. The embedded files are read
// and compressed on the first call and shared by every Handler.
func New(cfg Config) (*Handler, error) {
	if err := check(&cfg); err != nil {
		return nil, err
	}
	settings, err := json.Marshal(pageConfig{URL: cfg.DocumentURL, ClientID: cfg.ClientID, Scopes: cfg.Scopes,
		OAuth2RedirectURL: cfg.OAuth2RedirectURL, Title: cfg.Title})
	if err != nil {
		return nil, fmt.Errorf("swaggerui: config.json: %w", err)
	}
	h := &Handler{path: cfg.Path, csp: policy(cfg.ConnectSources), files: static(), config: newAsset("config.json", settings)}
	h.page = newAsset("index.html", page(h.files["index.html"].plain, cfg.DocumentURL))
	if cfg.Document != nil {
		h.doc = newAsset("openapi.json", cfg.Document)
	}
	return h, nil
}

// documentMark is where page/index.html names the document's URL (the
// link of its <noscript>, for browsers without JavaScript).
const documentMark = "{document}"

// page is index.html naming documentURL, HTML-escaped: written by the
// server, not guessed relative to the page, so it is right whether the
// document is beside the dashboard or elsewhere (the hub's is at
// /api/v1/openapi.json, its dashboard at /api/v1/docs/).
func page(index []byte, documentURL string) []byte {
	return bytes.ReplaceAll(index, []byte(documentMark), []byte(html.EscapeString(documentURL)))
}

// pageConfig is config.json, which page/dashboard.js reads.
type pageConfig struct {
	URL               string   `json:"url"`
	ClientID          string   `json:"clientId,omitempty"`
	Scopes            []string `json:"scopes,omitempty"`
	OAuth2RedirectURL string   `json:"oauth2RedirectUrl,omitempty"`
	Title             string   `json:"title,omitempty"`
}

func check(cfg *Config) error {
	if !strings.HasPrefix(cfg.Path, "/") || !strings.HasSuffix(cfg.Path, "/") || len(cfg.Path) < 2 {
		return fmt.Errorf("%w: Path %q must start and end with a slash, e.g. /api/v1/docs/", ErrConfig, cfg.Path)
	}
	if cfg.Document != nil {
		if !json.Valid(cfg.Document) {
			return fmt.Errorf("%w: Document is not JSON", ErrConfig)
		}
		if cfg.DocumentURL == "" {
			cfg.DocumentURL = "openapi.json"
		}
	}
	if cfg.DocumentURL == "" {
		return fmt.Errorf("%w: neither DocumentURL nor Document is set", ErrConfig)
	}
	if u, err := url.Parse(cfg.DocumentURL); err != nil || (u.Scheme != "" && u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%w: DocumentURL %q must be an http(s) URL or a path", ErrConfig, cfg.DocumentURL)
	}
	if cfg.OAuth2RedirectURL != "" {
		if u, err := url.Parse(cfg.OAuth2RedirectURL); err != nil || !u.IsAbs() || !strings.HasSuffix(u.Path, "/oauth2-redirect.html") {
			return fmt.Errorf("%w: OAuth2RedirectURL %q must be an absolute URL ending in /oauth2-redirect.html", ErrConfig, cfg.OAuth2RedirectURL)
		}
	}
	for _, o := range cfg.ConnectSources {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return fmt.Errorf("%w: ConnectSources: %q is not an origin such as https://auth.example.org", ErrConfig, o)
		}
	}
	return nil
}

// policy is the page's Content-Security-Policy: scripts, styles and
// images from the page's own origin only (images also as data: URIs,
// which swagger-ui.css uses for its icons), requests to its own origin and
// connect, and nothing else: no inline or evaluated script, no frames, no
// plug-ins, no form posts elsewhere.
func policy(connect []string) string {
	c := "'self'"
	for _, o := range connect {
		c += " " + strings.TrimSuffix(o, "/")
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src " + c + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

// ServeHTTP serves the page, its files, config.json and the document.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Path+"/" == h.path {
		// Relative ("docs/" for /api/v1/docs), so it stays right behind
		// a proxy that serves the API under a path of its own.
		target := path.Base(h.path) + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		w.Header().Set("Location", target)
		w.WriteHeader(http.StatusFound)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, h.path)
	a := h.lookup(name)
	if !ok || a == nil {
		http.NotFound(w, r)
		return
	}
	h.serve(w, r, a)
}

func (h *Handler) lookup(name string) *asset {
	switch name {
	case "", "index.html":
		return h.page
	case "config.json":
		return h.config
	case "openapi.json":
		return h.doc
	}
	return h.files[name]
}

// serve writes a with the dashboard's headers: gzipped when the client
// accepts it, revalidated with its ETag on every use (Cache-Control:
// no-cache), so a new version of the binary is picked up at once while
// unchanged files cost a 304.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, a *asset) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", h.csp)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cache-Control", "no-cache")
	hd.Set("Content-Type", a.contentType)
	body, tag := a.plain, a.etag
	if a.gz != nil {
		hd.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Values("Accept-Encoding")) {
			body, tag = a.gz, a.gzTag
			hd.Set("Content-Encoding", "gzip")
		}
	}
	hd.Set("ETag", tag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether Accept-Encoding allows gzip (RFC 9110
// §12.5.3): named, or covered by "*", with a weight above 0.
func acceptsGzip(values []string) bool {
	star := false
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(item), ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "x-gzip" && coding != "*" {
				continue
			}
			ok := !zeroWeight(params)
			if coding == "*" {
				star = ok
				continue
			}
			return ok
		}
	}
	return star
}

// zeroWeight reports whether params (after the coding's ";") give q=0.
func zeroWeight(params string) bool {
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			v = strings.TrimSpace(v)
			return strings.Trim(v, "0.") == "" && v != ""
		}
	}
	return false
}
