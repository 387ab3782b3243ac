package ops_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/server/ops"
)

func TestHealthAndReadiness(t *testing.T) {
	pingErr := errors.New("dial tcp 10.0.0.5:5432: connection refused")
	for _, tc := range []struct {
		name, path string
		ping       error
		status     int
		body       string
	}{
		{"health", "/healthz", pingErr, 200, "ok\n"},
		{"ready", "/readyz", nil, 200, "ok\n"},
		{"database unreachable", "/readyz", pingErr, 503, "database unreachable\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mux := http.NewServeMux()
			ops.NewMetrics().Mount(mux, func(context.Context) error { return tc.ping })
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
			if rec.Code != tc.status || rec.Body.String() != tc.body {
				t.Errorf("GET %s = %d %q, want %d %q", tc.path, rec.Code, rec.Body, tc.status, tc.body)
			}
			if tc.path == "/readyz" && rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", rec.Header().Get("Cache-Control"))
			}
		})
	}
}

func TestReadinessPingHasDeadline(t *testing.T) {
	mux := http.NewServeMux()
	ops.NewMetrics().Mount(mux, func(ctx context.Context) error {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("ping's context has no deadline: a hung database would hang /readyz")
		}
		return nil
	})
	mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/readyz", nil))
}

func TestMetricsEndpoint(t *testing.T) {
	m := ops.NewMetrics()
	mux := http.NewServeMux()
	m.Mount(mux, func(context.Context) error { return nil })
	m.FailedLogins.Inc()
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{"hubauth_failed_logins_total 1", "go_goroutines", "process_"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics has no %q", want)
		}
	}
}
