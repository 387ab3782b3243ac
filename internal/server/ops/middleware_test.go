package ops_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/server/ops"
)

const tokenPath = "/oauth/token"

// instrumented is a mux behind Instrument, as the hub serves it: a
// pattern route, a path the provider serves by prefix (known), and errors.
func instrumented(m *ops.Metrics, logs io.Writer) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/tokens/{id}", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case tokenPath:
			if r.PostFormValue("password") == "" {
				w.WriteHeader(http.StatusBadRequest)
			}
		case "/boom":
			w.WriteHeader(http.StatusInternalServerError)
		default:
			http.NotFound(w, r)
		}
	})
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return m.Instrument(log, tokenPath, []string{tokenPath, "/boom"}, mux)
}

// counts returns the counters of family name by their labels joined with ",".
func counts(t *testing.T, m *ops.Metrics, name string) map[string]float64 {
	t.Helper()
	families, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, metric := range f.GetMetric() {
			var labels []string
			for _, l := range metric.GetLabel() {
				labels = append(labels, l.GetValue())
			}
			out[strings.Join(labels, ",")] = metric.GetCounter().GetValue()
		}
	}
	return out
}

func TestInstrumentRoutes(t *testing.T) {
	m := ops.NewMetrics()
	h := instrumented(m, io.Discard)
	for _, path := range []string{"/api/v1/tokens/t-1", "/api/v1/tokens/t-2", "/boom", "/nope/123", "/nope/456"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	want := map[string]float64{
		"404,other":                   2, // unknown paths share one label
		"200,GET /api/v1/tokens/{id}": 2, // the pattern, not the id
		"500,/boom":                   1,
	}
	if diff := cmp.Diff(want, counts(t, m, "hubauth_http_requests_total")); diff != "" {
		t.Errorf("requests by code and route (-want +got):\n%s", diff)
	}
}

func TestInstrumentGrants(t *testing.T) {
	m := ops.NewMetrics()
	h := instrumented(m, io.Discard)
	post := func(form url.Values) {
		r := httptest.NewRequest("POST", tokenPath, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	post(url.Values{"grant_type": {"refresh_token"}, "password": {"x"}})
	post(url.Values{"grant_type": {"refresh_token"}})
	post(url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "password": {"x"}})
	post(url.Values{"grant_type": {"password" + strings.Repeat("x", 100)}})
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", tokenPath+"?grant_type=refresh_token", nil))
	want := map[string]float64{
		"refresh_token,ok":                                1,
		"refresh_token,client_error":                      1,
		"urn:ietf:params:oauth:grant-type:device_code,ok": 1,
		"other,client_error":                              1, // unknown grant types share one label
	}
	if diff := cmp.Diff(want, counts(t, m, "hubauth_grants_total")); diff != "" {
		t.Errorf("grants by type and result (-want +got):\n%s", diff)
	}
}

func TestInstrumentLogNeverHoldsQuery(t *testing.T) {
	var logs bytes.Buffer
	h := instrumented(ops.NewMetrics(), &logs)
	r := httptest.NewRequest("GET", tokenPath+"?username=ada&password=hunter2", nil)
	r.Header.Set("Authorization", "Bearer sekrit-token")
	h.ServeHTTP(httptest.NewRecorder(), r)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/boom?code=sekrit-code", nil))
	log := logs.String()
	for _, secret := range []string{"hunter2", "password=", "sekrit", "?"} {
		if strings.Contains(log, secret) {
			t.Errorf("request log holds %q:\n%s", secret, log)
		}
	}
	lines := strings.Split(strings.TrimSpace(log), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "level=INFO") || !strings.Contains(lines[1], "level=ERROR") ||
		!strings.Contains(lines[0], "path="+tokenPath) || !strings.Contains(lines[1], "status=500") {
		t.Errorf("log lines = %q, want one per request: INFO for a 4xx, ERROR for a 5xx, with path and status", lines)
	}
}

func TestInstrumentBoundsBody(t *testing.T) {
	var n int64
	var readErr error
	h := ops.NewMetrics().Instrument(slog.New(slog.DiscardHandler), tokenPath, nil,
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n, readErr = io.Copy(io.Discard, r.Body) }))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("PUT", "/x", strings.NewReader(strings.Repeat("a", 65<<10))))
	if readErr == nil || n > 64<<10 {
		t.Errorf("read %d bytes of a 65 KiB body, err %v; want at most 64 KiB and an error", n, readErr)
	}
}
