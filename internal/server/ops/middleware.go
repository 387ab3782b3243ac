package ops

import (
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// Instrument wraps the hub's handler: bounded request bodies, metrics and
// one log line per request. The log line has the method, route, status and
// duration — never the query string (NOMAD's GET /auth/token carries a
// password there) nor any header or body.
func (m *Metrics) Instrument(log *slog.Logger, tokenPath string, knownPaths []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		}
		grant := ""
		if r.URL.Path == tokenPath && r.Method == http.MethodPost {
			grant = grantType(r.PostFormValue("grant_type"))
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		route := routeOf(r, knownPaths)
		elapsed := time.Since(start)
		m.Requests.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
		m.Duration.WithLabelValues(route).Observe(elapsed.Seconds())
		if grant != "" {
			m.Grants.WithLabelValues(grant, result(rec.status)).Inc()
		}
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		log.Log(r.Context(), level, "request", "method", r.Method, "route", route, "path", r.URL.Path,
			"status", rec.status, "duration_ms", float64(elapsed.Microseconds())/1000)
	})
}

var grantTypes = []string{
	storage.GrantAuthorizationCode, storage.GrantRefreshToken, storage.GrantClientCredentials,
	storage.GrantDeviceCode,
}

// grantType keeps the label set bounded.
func grantType(g string) string {
	if slices.Contains(grantTypes, g) {
		return g
	}
	return "other"
}

func result(status int) string {
	switch {
	case status < 300:
		return "ok"
	case status < 500:
		return "client_error"
	}
	return "server_error"
}

// routeOf names a request's route with bounded cardinality: the mux
// pattern, a known endpoint path, or "other".
func routeOf(r *http.Request, known []string) string {
	if r.Pattern != "" && r.Pattern != "/" {
		return r.Pattern
	}
	if slices.Contains(known, r.URL.Path) {
		return r.URL.Path
	}
	return "other"
}

type recorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
