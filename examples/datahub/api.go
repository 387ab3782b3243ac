package main

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/hubauth/hubauth/resource"
)

// api serves the data hub's JSON API. Every route sits behind the
// resource middleware (with AllowAnonymous): the uploads routes need a
// caller, the public ones take one if given.
type api struct {
	store      *store
	filesDir   string // where NOMAD would keep the files (upload_files_server_path)
	readScope  string // needed to see private uploads; "" none
	writeScope string // needed to create and publish; "" none
	now        func() time.Time
	log        *slog.Logger
	docs       http.Handler // the API dashboard; nil: none
}

// routes returns the API's handler; the caller wraps it in the middleware.
//
//	POST /api/v1/uploads                               {"upload_name": …} → 201 {"upload_id", "data"}
//	GET  /api/v1/uploads                               my uploads (any role) → {"data", "pagination"}
//	GET  /api/v1/uploads/{upload_id}                   one upload I may see → {"upload_id", "data"}
//	POST /api/v1/uploads/{upload_id}/action/publish    ?embargo_length=months (0–36)
//	GET  /api/v1/datasets?q=                           public uploads and mine → {"data", "pagination"}
//	GET  /api/v1/docs/                                 the API dashboard (docs.go)
func (a *api) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /api/v1/uploads", a.needs(a.writeScope, a.createUpload))
	mux.Handle("GET /api/v1/uploads", a.needs(a.readScope, a.listUploads))
	mux.HandleFunc("GET /api/v1/uploads/{upload_id}", a.getUpload)
	mux.Handle("POST /api/v1/uploads/{upload_id}/action/publish", a.needs(a.writeScope, a.publish))
	mux.HandleFunc("GET /api/v1/datasets", a.datasets)
	if a.docs != nil {
		mux.Handle("GET "+docsPath, a.docs)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no such endpoint: see GET /api/v1/uploads and /api/v1/datasets")
	})
	return mux
}

// needs requires a caller, with scope when it is set: without it, NOMAD's
// 403 (missingScopes).
func (a *api) needs(scope string, h http.HandlerFunc) http.Handler {
	if scope == "" {
		return resource.RequireCaller(h)
	}
	return resource.RequireCaller(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, _ := resource.CallerFrom(r.Context()); !c.HasScope(scope) {
			missingScopes(w, r, scope)
			return
		}
		h(w, r)
	}))
}

// viewer returns the caller whose roles count for reading: one with the
// read scope, when one is configured.
func (a *api) viewer(r *http.Request) (resource.Caller, bool) {
	c, ok := resource.CallerFrom(r.Context())
	if !ok || (a.readScope != "" && !c.HasScope(a.readScope)) {
		return resource.Caller{}, false
	}
	return c, true
}

// single is NOMAD's answer for one upload.
type single struct {
	UploadID string `json:"upload_id"`
	Data     Upload `json:"data"`
}

// page is NOMAD's answer for a list.
type page struct {
	Data       []Upload   `json:"data"`
	Pagination pagination `json:"pagination"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// writeError answers the hub's error shape {"error", "error_description"}.
func writeError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// serverError logs err and answers 500 without its details.
func (a *api) serverError(w http.ResponseWriter, r *http.Request, err error) {
	a.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, "server_error", "the data hub failed; see its log")
}
