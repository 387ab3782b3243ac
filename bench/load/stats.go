package main

import (
	"slices"
	"time"
)

// maxErrorSamples is how many distinct error kinds a result keeps verbatim.
// Further kinds are still counted in Result.Errors.
const maxErrorSamples = 5

// latencyCapacity is the number of latencies a Recorder preallocates room
// for, so that the hot path rarely grows its slice.
const latencyCapacity = 1 << 14

// Recorder collects the outcomes of one worker. It is owned by exactly one
// goroutine, so recording takes no lock; Merge combines recorders once the
// run is over.
type Recorder struct {
	latencies []time.Duration
	ok        int64
	errors    int64
	throttled int64
	samples   []ErrorSample
	counters  map[string]int64
}

// ErrorSample is one distinct error (a status and body, or a transport
// error) with the number of times it was seen.
type ErrorSample struct {
	Error string `json:"error"`
	Count int64  `json:"count"`
	first time.Time
}

// NewRecorder returns a Recorder with room for latencyCapacity latencies.
func NewRecorder() *Recorder {
	return &Recorder{latencies: make([]time.Duration, 0, latencyCapacity)}
}

// OK records a successful request that took d.
func (r *Recorder) OK(d time.Duration) {
	r.ok++
	r.latencies = append(r.latencies, d)
}

// Throttled records a request the server refused with 429 or 503 and a
// Retry-After header: it is neither a success nor an error.
func (r *Recorder) Throttled() { r.throttled++ }

// Error records a failed request; msg identifies the kind of failure (for
// example "status 400: {...}") and seeds the error samples.
func (r *Recorder) Error(msg string) {
	r.errors++
	for i := range r.samples {
		if r.samples[i].Error == msg {
			r.samples[i].Count++
			return
		}
	}
	if len(r.samples) < maxErrorSamples {
		r.samples = append(r.samples, ErrorSample{Error: msg, Count: 1, first: time.Now()})
	}
}

// Count adds n to the named auxiliary counter (for example "relogins").
func (r *Recorder) Count(name string, n int64) {
	if r.counters == nil {
		r.counters = make(map[string]int64)
	}
	r.counters[name] += n
}

// Merge combines the recorders of one run into a Result measured over
// elapsed. Latencies of successful requests only feed the percentiles.
func Merge(scenario, unit string, concurrency int, elapsed time.Duration, recs []*Recorder) Result {
	res := Result{Scenario: scenario, Unit: unit, Concurrency: concurrency, Duration: elapsed}
	n := 0
	for _, r := range recs {
		n += len(r.latencies)
	}
	all := make([]time.Duration, 0, n)
	var samples []ErrorSample
	for _, r := range recs {
		all = append(all, r.latencies...)
		res.OK += r.ok
		res.Errors += r.errors
		res.Throttled += r.throttled
		samples = mergeSamples(samples, r.samples)
		for k, v := range r.counters {
			if res.Counters == nil {
				res.Counters = make(map[string]int64)
			}
			res.Counters[k] += v
		}
	}
	slices.SortStableFunc(samples, func(a, b ErrorSample) int { return a.first.Compare(b.first) })
	if len(samples) > maxErrorSamples {
		samples = samples[:maxErrorSamples]
	}
	res.ErrorSamples = samples
	res.Requests = res.OK + res.Errors + res.Throttled
	if elapsed > 0 {
		res.Throughput = float64(res.Requests) / elapsed.Seconds()
	}
	slices.Sort(all)
	res.P50, res.P90, res.P99 = Percentile(all, 50), Percentile(all, 90), Percentile(all, 99)
	if len(all) > 0 {
		res.Max = all[len(all)-1]
	}
	return res
}

// mergeSamples adds the samples of src to dst, summing counts of equal
// errors and keeping the earliest first-seen time.
func mergeSamples(dst, src []ErrorSample) []ErrorSample {
	for _, s := range src {
		i := slices.IndexFunc(dst, func(d ErrorSample) bool { return d.Error == s.Error })
		if i < 0 {
			dst = append(dst, s)
			continue
		}
		dst[i].Count += s.Count
		if s.first.Before(dst[i].first) {
			dst[i].first = s.first
		}
	}
	return dst
}

// Percentile returns the p-th percentile (0 < p <= 100) of sorted by the
// nearest-rank method, or 0 for an empty slice.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p / 100 * float64(len(sorted)))
	if float64(rank) < p/100*float64(len(sorted)) {
		rank++ // ceil without float rounding surprises for exact ranks
	}
	return sorted[min(max(rank, 1), len(sorted))-1]
}
