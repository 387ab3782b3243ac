package swaggerui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"io/fs"
	"mime"
	"path"
	"sync"
)

//go:embed dist page
var files embed.FS

// served lists the files a dashboard serves, by the name in its URL, and
// where each is embedded: Swagger UI's own (dist/) and ours (page/).
var served = map[string]string{
	"index.html":                       "page/index.html",
	"dashboard.js":                     "page/dashboard.js",
	"dashboard.css":                    "page/dashboard.css",
	"swagger-ui-bundle.js":             "dist/swagger-ui-bundle.js",
	"swagger-ui-bundle.js.LICENSE.txt": "dist/swagger-ui-bundle.js.LICENSE.txt",
	"swagger-ui.css":                   "dist/swagger-ui.css",
	"oauth2-redirect.html":             "dist/oauth2-redirect.html",
	"oauth2-redirect.js":               "dist/oauth2-redirect.js",
	"favicon-16x16.png":                "dist/favicon-16x16.png",
	"favicon-32x32.png":                "dist/favicon-32x32.png",
	"LICENSE":                          "dist/LICENSE",
	"NOTICE":                           "dist/NOTICE",
}

// asset is one file ready to serve: its bytes, their gzip encoding when
// that is smaller, and a strong ETag for each.
type asset struct {
	contentType string
	plain, gz   []byte
	etag, gzTag string
}

// newAsset compresses b once (gzip, best compression) and names both
// forms by their content's SHA-256.
func newAsset(name string, b []byte) *asset {
	a := &asset{contentType: contentType(name), plain: b, etag: etag(b)}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	zw.Write(b)                                              // a bytes.Buffer does not fail
	zw.Close()
	if buf.Len() < len(b) {
		a.gz = buf.Bytes()
		a.gzTag = etag(a.gz)
	}
	return a
}

func etag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	case ".json":
		return "application/json"
	case "", ".txt":
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// static is the embedded files, read and compressed on first use: once
// per process, shared by every Handler.
var static = sync.OnceValue(func() map[string]*asset {
	out := make(map[string]*asset, len(served))
	for name, p := range served {
		b, err := fs.ReadFile(files, p)
		if err != nil {
			panic("swaggerui: embedded file missing: " + p) // go:embed guarantees them
		}
		out[name] = newAsset(name, b)
	}
	return out
})

// Version is the swagger-ui-dist version embedded (dist/VERSION).
func Version() string {
	b, _ := fs.ReadFile(files, "dist/VERSION")
	return string(bytes.TrimSpace(b))
}
