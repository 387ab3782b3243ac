package openapi

import (
	"net/http"
	"strings"

	"github.com/hubauth/hubauth/internal/server/routes"
)

// Handler serves the document of one hub.
type Handler struct {
	body []byte
	etag string
}

// New returns the handler of the document for a hub at issuer (Document).
func New(issuer string) (*Handler, error) {
	body, err := Document(issuer)
	if err != nil {
		return nil, err
	}
	return &Handler{body: body, etag: etag(body)}, nil
}

// JSON returns the document, e.g. for the API dashboard to embed.
func (h *Handler) JSON() []byte { return h.body }

// Mount registers GET Path.
func (h *Handler) Mount(mux routes.Mux) { mux.Handle("GET "+Path, h) }

// ServeHTTP answers the document: public, cached for 5 minutes and then
// revalidated by its ETag (it changes only with the hub's version or
// issuer); 304 for a matching If-None-Match.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("ETag", h.etag)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// The document is public: other origins (an editor, another dashboard)
	// may read it.
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if matches(r.Header.Get("If-None-Match"), h.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(h.body)
}

// matches reports whether an If-None-Match header lists tag or is "*"
// (RFC 9110 §13.1.2, weak comparison).
func matches(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}
