package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"text/tabwriter"
	"time"
)

// Result is the outcome of one scenario run over the measured window
// (warm-up excluded).
type Result struct {
	// Scenario is the scenario's name, for example "refresh".
	Scenario string
	// Unit names what one request is: "req", or "poll" for device_poll.
	Unit string
	// Concurrency is the number of workers (HTTP connections).
	Concurrency int
	// Duration is the measured window.
	Duration time.Duration
	// Requests is OK + Errors + Throttled.
	Requests, OK, Errors, Throttled int64
	// Throughput is Requests per second of Duration.
	Throughput float64
	// P50, P90, P99 and Max are latencies of the successful requests.
	P50, P90, P99, Max time.Duration
	// ErrorSamples are the first distinct errors, oldest first.
	ErrorSamples []ErrorSample
	// Counters are scenario-specific counts such as "relogins".
	Counters map[string]int64
}

// jsonResult is the stable --json shape of a Result: durations in
// seconds (run) and milliseconds (latencies).
type jsonResult struct {
	Scenario     string           `json:"scenario"`
	Unit         string           `json:"unit"`
	Concurrency  int              `json:"concurrency"`
	DurationS    float64          `json:"duration_seconds"`
	Requests     int64            `json:"requests"`
	OK           int64            `json:"ok"`
	Errors       int64            `json:"errors"`
	Throttled    int64            `json:"throttled"`
	Throughput   float64          `json:"throughput_per_second"`
	LatencyMS    jsonLatency      `json:"latency_ms"`
	ErrorSamples []ErrorSample    `json:"error_samples"`
	Counters     map[string]int64 `json:"counters,omitempty"`
}

type jsonLatency struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// WriteJSON writes r as one indented JSON object.
func (r Result) WriteJSON(w io.Writer) error {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	samples := r.ErrorSamples
	if samples == nil {
		samples = []ErrorSample{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jsonResult{
		Scenario: r.Scenario, Unit: r.Unit, Concurrency: r.Concurrency,
		DurationS: r.Duration.Seconds(),
		Requests:  r.Requests, OK: r.OK, Errors: r.Errors, Throttled: r.Throttled,
		Throughput:   r.Throughput,
		LatencyMS:    jsonLatency{P50: ms(r.P50), P90: ms(r.P90), P99: ms(r.P99), Max: ms(r.Max)},
		ErrorSamples: samples,
		Counters:     r.Counters,
	})
}

// WriteTable writes r as an aligned one-row table, followed by the error
// samples and counters when there are any.
func (r Result) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "scenario\tconc\tduration\t%ss\tok\terrors\tthrottled\t%s/s\tp50\tp90\tp99\tmax\n", r.Unit, r.Unit)
	fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t%d\t%d\t%.1f\t%s\t%s\t%s\t%s\n",
		r.Scenario, r.Concurrency, r.Duration.Round(time.Millisecond),
		r.Requests, r.OK, r.Errors, r.Throttled, r.Throughput,
		roundLatency(r.P50), roundLatency(r.P90), roundLatency(r.P99), roundLatency(r.Max))
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.ErrorSamples) > 0 {
		fmt.Fprintf(w, "\nfirst errors (of %d):\n", r.Errors)
		for _, s := range r.ErrorSamples {
			fmt.Fprintf(w, "  %6d × %s\n", s.Count, s.Error)
		}
	}
	if len(r.Counters) > 0 {
		fmt.Fprintln(w, "\ncounters:")
		for _, k := range slices.Sorted(maps.Keys(r.Counters)) {
			fmt.Fprintf(w, "  %s: %d\n", k, r.Counters[k])
		}
	}
	return nil
}

// roundLatency keeps three significant digits or so: µs below 1 ms,
// 10 µs below 100 ms, then ms.
func roundLatency(d time.Duration) time.Duration {
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond)
	case d < 100*time.Millisecond:
		return d.Round(10 * time.Microsecond)
	default:
		return d.Round(time.Millisecond)
	}
}
