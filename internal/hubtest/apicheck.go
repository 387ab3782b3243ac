package hubtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/hubauth/hubauth/internal/server/docs"
	"github.com/hubauth/hubauth/internal/server/openapi"
)

// apiPrefix is the part of the hub the OpenAPI document describes.
const apiPrefix = "/api/v1/"

// APIRouter returns a router over the hub's OpenAPI document
// (internal/server/openapi), loaded and validated once. Its paths match
// requests of any host: the document's server is the issuer, which a test
// hub may not be reached at.
var APIRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := LoadAPIDocument("http://hub.test")
	if err != nil {
		return nil, err
	}
	doc.Servers = nil
	return legacy.NewRouter(doc)
})

// LoadAPIDocument loads and validates the OpenAPI document as served by a
// hub at issuer, with kin-openapi (OpenAPI 3.1: JSON Schema 2020-12).
func LoadAPIDocument(issuer string) (*openapi3.T, error) {
	raw, err := openapi.Document(issuer)
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("load the OpenAPI document: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("validate the OpenAPI document: %w", err)
	}
	return doc, nil
}

// CheckAPI wraps h, a hub, so that every exchange under /api/v1 (but the
// API dashboard's pages) is held against the OpenAPI document, failing t
// on a mismatch:
//
//   - a request to a path or method the document lacks must be answered 404
//     or 405;
//   - a request the document refuses (a missing parameter, a value out of
//     range, no credentials) must be answered with a 4xx;
//   - every answer must be one the document gives for the operation: its
//     status, Content-Type, headers and body schema.
//
// hubtest.New applies it to every hub but in benchmarks (WithoutAPICheck
// turns it off); tests that mount the API on their own mux wrap it.
func CheckAPI(t testing.TB, h http.Handler) http.Handler {
	router, err := APIRouter()
	if err != nil {
		t.Fatalf("hubtest: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, apiPrefix) || docs.IsDashboard(r.URL.Path) {
			h.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "hubtest: read the request body: "+err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		if err := checkExchange(r, body, rec, router); err != nil {
			t.Errorf("OpenAPI document: %s %s → %d: %v\nanswer: %s", r.Method, r.URL.Path, rec.status, err, clip(rec.body.String()))
		}
	})
}

// checkExchange holds one request and its answer against the document.
func checkExchange(r *http.Request, body []byte, rec *recorder, router routers.Router) error {
	req := r.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(body))
	if len(body) > 0 && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json") // the hub reads such a body as JSON
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		if rec.status == http.StatusNotFound || rec.status == http.StatusMethodNotAllowed {
			return nil
		}
		return fmt.Errorf("the hub serves an operation the document lacks: %w", err)
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, AuthenticationFunc: authenticate}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && (rec.status < 400 || rec.status > 499) {
		return fmt.Errorf("the hub answered %d to a request the document refuses: %w", rec.status, err)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.status, Header: rec.Header(), Options: opts}
	out.SetBodyBytes(rec.body.Bytes())
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("the answer is not the document's: %w", err)
	}
	return nil
}

// errNoCredentials is a request without the credentials of a scheme.
var errNoCredentials = errors.New("no credentials for this scheme")

// authenticate checks that a request carries the credentials a security
// scheme names (a bearer token, Basic client credentials): whether they
// are valid is the hub's to say, in its answer.
func authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	scheme := "bearer "
	if in.SecurityScheme.Type == "http" && strings.EqualFold(in.SecurityScheme.Scheme, "basic") {
		scheme = "basic "
	}
	auth := in.RequestValidationInput.Request.Header.Get("Authorization")
	if len(auth) < len(scheme) || !strings.EqualFold(auth[:len(scheme)], scheme) {
		return errNoCredentials
	}
	return nil
}

// recorder passes an answer on and keeps its status and body.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
	wrote  bool
}

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wrote = true
	r.body.Write(p)
	return r.ResponseWriter.Write(p)
}

// clip shortens an answer for a failure message.
func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// Unwrap gives http.ResponseController the hub's writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
