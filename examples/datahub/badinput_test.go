package main

import (
	"net/http"
	"strings"
	"testing"
)

func TestBadInput(t *testing.T) {
	h := newHub(t)
	h.addUser(t, "ada")
	d := newDatahub(t, h)
	ada := h.token(t, "ada", "")
	id := d.create(ada, map[string]string{"upload_name": "x"}).UploadID
	for _, tc := range []struct {
		name, method, path string
		body               any
		want               int
	}{
		{"malformed JSON", http.MethodPost, "/api/v1/uploads", `{"upload_name": `, http.StatusBadRequest},
		{"not an object", http.MethodPost, "/api/v1/uploads", `["x"]`, http.StatusBadRequest},
		{"null", http.MethodPost, "/api/v1/uploads", `null`, http.StatusBadRequest},
		{"two objects", http.MethodPost, "/api/v1/uploads", `{"upload_name":"a"} {}`, http.StatusBadRequest},
		{"empty body", http.MethodPost, "/api/v1/uploads", ``, http.StatusBadRequest},
		{"too large", http.MethodPost, "/api/v1/uploads", `{"upload_name":"` + strings.Repeat("a", 70<<10) + `"}`, http.StatusBadRequest},
		{"missing upload_name", http.MethodPost, "/api/v1/uploads", `{}`, http.StatusUnprocessableEntity},
		{"blank upload_name", http.MethodPost, "/api/v1/uploads", `{"upload_name": "  "}`, http.StatusUnprocessableEntity},
		{"long upload_name", http.MethodPost, "/api/v1/uploads", `{"upload_name":"` + strings.Repeat("a", 300) + `"}`, http.StatusUnprocessableEntity},
		{"upload_name a number", http.MethodPost, "/api/v1/uploads", `{"upload_name": 3}`, http.StatusUnprocessableEntity},
		{"coauthors a string", http.MethodPost, "/api/v1/uploads", `{"upload_name": "a", "coauthors": "bob"}`, http.StatusUnprocessableEntity},
		{"empty coauthor", http.MethodPost, "/api/v1/uploads", `{"upload_name": "a", "coauthors": [""]}`, http.StatusUnprocessableEntity},
		{"unknown field", http.MethodPost, "/api/v1/uploads", `{"upload_name": "a", "published": true}`, http.StatusUnprocessableEntity},
		{"page 0", http.MethodGet, "/api/v1/uploads?page=0", nil, http.StatusUnprocessableEntity},
		{"page not a number", http.MethodGet, "/api/v1/uploads?page=two", nil, http.StatusUnprocessableEntity},
		{"page_size negative", http.MethodGet, "/api/v1/uploads?page_size=-1", nil, http.StatusUnprocessableEntity},
		{"page_size too large", http.MethodGet, "/api/v1/uploads?page_size=100000", nil, http.StatusUnprocessableEntity},
		{"page repeated", http.MethodGet, "/api/v1/uploads?page=1&page=2", nil, http.StatusUnprocessableEntity},
		{"order_by unknown", http.MethodGet, "/api/v1/uploads?order_by=main_author", nil, http.StatusUnprocessableEntity},
		{"malformed query", http.MethodGet, "/api/v1/uploads?order_by=upload_name;DROP", nil, http.StatusUnprocessableEntity},
		{"bad escape in query", http.MethodGet, "/api/v1/datasets?q=%zz", nil, http.StatusUnprocessableEntity},
		{"order unknown", http.MethodGet, "/api/v1/datasets?order=up", nil, http.StatusUnprocessableEntity},
		{"q repeated", http.MethodGet, "/api/v1/datasets?q=a&q=b", nil, http.StatusUnprocessableEntity},
		{"embargo too long", http.MethodPost, "/api/v1/uploads/" + id + "/action/publish?embargo_length=37", nil, http.StatusUnprocessableEntity},
		{"embargo not a number", http.MethodPost, "/api/v1/uploads/" + id + "/action/publish?embargo_length=x", nil, http.StatusUnprocessableEntity},
		{"unknown upload", http.MethodGet, "/api/v1/uploads/nope", nil, http.StatusNotFound},
		{"unknown path", http.MethodGet, "/api/v2/uploads", nil, http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := d.do(tc.method, tc.path, ada, tc.body)
			var e struct {
				Error            string `json:"error"`
				ErrorDescription string `json:"error_description"`
			}
			r.decode(t, &e)
			if r.Status != tc.want || e.Error == "" || e.ErrorDescription == "" {
				t.Errorf("got %d %s, want %d with error and error_description", r.Status, r.Body, tc.want)
			}
		})
	}
	if got := d.names("/api/v1/uploads", ada); len(got) != 1 {
		t.Errorf("bad requests changed the uploads: %q", got)
	}
}
