package jsonapi_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/storage"
)

// answer is what a handler wrote.
type answer struct {
	Status int
	Header http.Header
	Body   map[string]string
}

func read(t *testing.T, rec *httptest.ResponseRecorder) answer {
	t.Helper()
	a := answer{Status: rec.Code, Header: rec.Header()}
	if err := json.Unmarshal(rec.Body.Bytes(), &a.Body); err != nil {
		t.Fatalf("body %q: %v", rec.Body, err)
	}
	return a
}

func TestWrite(t *testing.T) {
	rec := httptest.NewRecorder()
	jsonapi.Write(rec, http.StatusCreated, map[string]string{"id": "t-1"})
	a := read(t, rec)
	if a.Status != http.StatusCreated || a.Body["id"] != "t-1" {
		t.Errorf("Write = %d %v, want 201 with the value", a.Status, a.Body)
	}
	for name, want := range map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"} {
		if got := a.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

func TestWriteError(t *testing.T) {
	const detail = "password=hunter2 at /var/lib/hubauth/hub.db"
	for _, tc := range []struct {
		name   string
		err    error
		status int
		body   map[string]string
		header map[string]string
		logged bool
	}{
		{
			name: "API error", err: jsonapi.Errorf(http.StatusBadRequest, "invalid_request", "name is missing"),
			status: 400, body: map[string]string{"error": "invalid_request", "error_description": "name is missing"},
			header: map[string]string{"WWW-Authenticate": ""},
		},
		{
			name: "wrapped API error", err: fmt.Errorf("create: %w", jsonapi.Errorf(http.StatusNotFound, "not_found", "")),
			status: 404, body: map[string]string{"error": "not_found"},
		},
		{
			name: "invalid_client (RFC 6749 §5.2)", err: jsonapi.Errorf(http.StatusUnauthorized, "invalid_client", "unknown client"),
			status: 401, body: map[string]string{"error": "invalid_client", "error_description": "unknown client"},
			header: map[string]string{"WWW-Authenticate": jsonapi.ClientChallenge},
		},
		{
			name: "database unavailable", err: fmt.Errorf("sqlite: list: %w: %s", storage.ErrUnavailable, detail),
			status: 503, body: map[string]string{"error": "temporarily_unavailable", "error_description": "the hub cannot reach its database; try again shortly"},
			header: map[string]string{"Retry-After": "2"},
		},
		{
			name: "anything else", err: errors.New(detail),
			status: 500, body: map[string]string{"error": "server_error", "error_description": "internal error"},
			logged: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			rec := httptest.NewRecorder()
			jsonapi.WriteError(rec, httptest.NewRequest("GET", "/api/v1/tokens?x=1", nil), log, tc.err)
			a := read(t, rec)
			if a.Status != tc.status {
				t.Errorf("status = %d, want %d", a.Status, tc.status)
			}
			if diff := cmp.Diff(tc.body, a.Body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			for name, want := range tc.header {
				if got := a.Header.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			if strings.Contains(rec.Body.String(), "hunter2") {
				t.Errorf("body %q leaks the error's details", rec.Body)
			}
			if got := strings.Contains(logs.String(), "hunter2"); got != tc.logged {
				t.Errorf("details in the log = %v, want %v; log: %s", got, tc.logged, logs.String())
			}
		})
	}
}
