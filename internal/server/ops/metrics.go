// Package ops serves what operators need: /healthz (the process runs),
// /readyz (the database answers), /metrics (Prometheus), and the request
// middleware that counts requests by route and status and grants by type,
// and logs each request without its query string or body.
package ops

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the hub's Prometheus collectors.
type Metrics struct {
	Registry     *prometheus.Registry
	Requests     *prometheus.CounterVec
	Duration     *prometheus.HistogramVec
	Grants       *prometheus.CounterVec
	FailedLogins prometheus.Counter
}

// NewMetrics registers the collectors on a fresh registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hubauth_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hubauth_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		Grants: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hubauth_grants_total", Help: "Token endpoint requests by grant type and result (ok or the OAuth error class).",
		}, []string{"grant_type", "result"}),
		FailedLogins: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "hubauth_failed_logins_total", Help: "Password logins refused (bad credentials).",
		}),
	}
	m.Registry.MustRegister(m.Requests, m.Duration, m.Grants, m.FailedLogins,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
