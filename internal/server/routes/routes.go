// Package routes records the patterns the hub's handlers register on its
// mux, so that the routes the hub serves can be listed and held against
// its OpenAPI document (internal/server/openapi).
package routes

import (
	"net/http"
	"slices"
)

// Mux is what handlers register their endpoints on: an *http.ServeMux, or
// a Recorder in front of one.
type Mux interface {
	Handle(pattern string, handler http.Handler)
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
}

// Recorder is an *http.ServeMux that remembers the patterns registered on
// it, in order.
type Recorder struct {
	*http.ServeMux
	patterns []string
}

// NewRecorder returns a Recorder over a new ServeMux.
func NewRecorder() *Recorder { return &Recorder{ServeMux: http.NewServeMux()} }

// Handle registers handler for pattern and records the pattern.
func (r *Recorder) Handle(pattern string, handler http.Handler) {
	r.ServeMux.Handle(pattern, handler)
	r.patterns = append(r.patterns, pattern)
}

// HandleFunc registers handler for pattern and records the pattern.
func (r *Recorder) HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request)) {
	r.ServeMux.HandleFunc(pattern, handler)
	r.patterns = append(r.patterns, pattern)
}

// Patterns returns the patterns registered so far, in order.
func (r *Recorder) Patterns() []string { return slices.Clone(r.patterns) }
