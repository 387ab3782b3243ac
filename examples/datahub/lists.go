package main

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/hubauth/hubauth/resource"
)

// listUploads answers the caller's uploads: every upload where the caller
// has a role, directly or through one of its groups.
func (a *api) listUploads(w http.ResponseWriter, r *http.Request) {
	c, _ := resource.CallerFrom(r.Context())
	a.list(w, r, listQuery{subject: c.Subject, groups: c.Groups})
}

// datasets answers published uploads out of embargo to anyone, and the
// others to callers with a role; q filters on the name.
func (a *api) datasets(w http.ResponseWriter, r *http.Request) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "invalid_request", "the query string is malformed")
		return
	}
	if len(q["q"]) > 1 || len(q.Get("q")) > maxName {
		writeError(w, http.StatusUnprocessableEntity, "invalid_request", "q must be given at most once, and at most 255 bytes long")
		return
	}
	query := listQuery{public: true, text: q.Get("q")}
	if c, ok := a.viewer(r); ok {
		query.subject, query.groups = c.Subject, c.Groups
	}
	a.list(w, r, query)
}

func (a *api) list(w http.ResponseWriter, r *http.Request, q listQuery) {
	p, err := parsePagination(r.URL.RawQuery)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "invalid_request", err.Error())
		return
	}
	q.page, q.now = p, a.now()
	data, total, err := a.store.list(r.Context(), q)
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	p.finish(total, r.URL)
	writeJSON(w, http.StatusOK, page{Data: data, Pagination: p})
}

// getUpload answers one upload to those who may see it; to others it
// does not exist.
func (a *api) getUpload(w http.ResponseWriter, r *http.Request) {
	u, ok := a.visible(w, r)
	if ok {
		writeJSON(w, http.StatusOK, single{UploadID: u.UploadID, Data: u})
	}
}

// visible loads the path's upload if the request may see it, else answers
// 404.
func (a *api) visible(w http.ResponseWriter, r *http.Request) (Upload, bool) {
	u, err := a.store.get(r.Context(), r.PathValue("upload_id"), a.now())
	if err != nil && !errors.Is(err, errNotFound) {
		a.serverError(w, r, err)
		return u, false
	}
	c, hasCaller := a.viewer(r)
	if err != nil || !(u.Published && !u.WithEmbargo) && !(hasCaller && u.canView(c)) {
		writeError(w, http.StatusNotFound, "not_found", "no upload "+strconv.Quote(r.PathValue("upload_id"))+" that you may see")
		return u, false
	}
	return u, true
}

// maxEmbargo is NOMAD's longest embargo, in months.
const maxEmbargo = 36

// publish publishes an upload of which the caller is a writer, with an
// embargo of embargo_length months (0, the default: none).
func (a *api) publish(w http.ResponseWriter, r *http.Request) {
	months, err := intParam(r.URL.Query(), "embargo_length", 0, 0, maxEmbargo)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "invalid_request", err.Error())
		return
	}
	u, ok := a.visible(w, r)
	if !ok {
		return
	}
	c, _ := resource.CallerFrom(r.Context())
	switch {
	case !u.canWrite(c):
		writeError(w, http.StatusForbidden, "forbidden", "only the main author and coauthors may publish an upload")
		return
	case u.Published:
		writeError(w, http.StatusConflict, "conflict", "the upload is already published")
		return
	}
	u.publish(months, a.now())
	if err := a.store.publish(r.Context(), u); err != nil {
		a.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, single{UploadID: u.UploadID, Data: u})
}
