package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// upTo returns 1ms, 2ms, …, n ms.
func upTo(n int) []time.Duration {
	s := make([]time.Duration, n)
	for i := range s {
		s[i] = ms(i + 1)
	}
	return s
}

func TestPercentile(t *testing.T) {
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"single", []time.Duration{ms(7)}, 99, ms(7)},
		{"p50 of 100", upTo(100), 50, ms(50)},
		{"p90 of 100", upTo(100), 90, ms(90)},
		{"p99 of 100", upTo(100), 99, ms(99)},
		{"p100 of 100", upTo(100), 100, ms(100)},
		{"p50 of 3 rounds up", upTo(3), 50, ms(2)},
		{"p99 of 10 is the max", upTo(10), 99, ms(10)},
		{"p90 of 1000", upTo(1000), 90, ms(900)},
		{"tiny p is the min", upTo(10), 0.1, ms(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("Percentile(%d values, %v) = %v, want %v", len(tt.sorted), tt.p, got, tt.want)
			}
		})
	}
}

func TestMerge(t *testing.T) {
	a, b := NewRecorder(), NewRecorder()
	for i := 1; i <= 50; i++ {
		a.OK(ms(2 * i))
		b.OK(ms(2*i - 1))
	}
	a.Error("status 500: boom")
	b.Error("status 400: bad")
	a.Error("status 400: bad")
	b.Throttled()
	a.Count("relogins", 2)
	b.Count("relogins", 1)

	got := Merge("refresh", "req", 2, 2*time.Second, []*Recorder{a, b})
	want := Result{
		Scenario: "refresh", Unit: "req", Concurrency: 2, Duration: 2 * time.Second,
		Requests: 104, OK: 100, Errors: 3, Throttled: 1, Throughput: 52,
		P50: ms(50), P90: ms(90), P99: ms(99), Max: ms(100),
		ErrorSamples: []ErrorSample{{Error: "status 500: boom", Count: 1}, {Error: "status 400: bad", Count: 2}},
		Counters:     map[string]int64{"relogins": 3},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(x, y ErrorSample) bool {
		return x.Error == y.Error && x.Count == y.Count
	})); diff != "" {
		t.Errorf("Merge mismatch (-want +got):\n%s", diff)
	}
}

func TestErrorSamplesAreCapped(t *testing.T) {
	r := NewRecorder()
	for i := range 2 * maxErrorSamples {
		r.Error(fmt.Sprintf("status %d", 400+i))
	}
	r.Error("status 400")
	res := Merge("password", "req", 1, time.Second, []*Recorder{r})
	if res.Errors != 2*maxErrorSamples+1 || len(res.ErrorSamples) != maxErrorSamples {
		t.Fatalf("errors = %d, samples = %d; want %d, %d", res.Errors, len(res.ErrorSamples), 2*maxErrorSamples+1, maxErrorSamples)
	}
	if s := res.ErrorSamples[0]; s.Error != "status 400" || s.Count != 2 {
		t.Errorf("first sample = %+v, want status 400 twice", s)
	}
}

func TestWriteTable(t *testing.T) {
	res := Result{Scenario: "device_poll", Unit: "poll", Concurrency: 32, Duration: 10 * time.Second,
		Requests: 10001, OK: 10000, Errors: 1, Throughput: 1000.1,
		P50: 1234567 * time.Nanosecond, P90: 456 * time.Microsecond, P99: 123456789, Max: time.Second,
		ErrorSamples: []ErrorSample{{Error: `status 400: {"error":"slow_down"}`, Count: 1}},
		Counters:     map[string]int64{"device_codes_started": 5000}}
	var buf bytes.Buffer
	if err := res.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	want := `scenario     conc  duration  polls  ok     errors  throttled  poll/s  p50     p90    p99    max
device_poll  32    10s       10001  10000  1       0          1000.1  1.23ms  456µs  123ms  1s

first errors (of 1):
       1 × status 400: {"error":"slow_down"}

counters:
  device_codes_started: 5000
`
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("WriteTable mismatch (-want +got):\n%s", diff)
	}
}

func TestWriteJSON(t *testing.T) {
	res := Result{Scenario: "refresh", Unit: "req", Concurrency: 4, Duration: 1500 * time.Millisecond,
		Requests: 3, OK: 3, Throughput: 2, P50: 1500 * time.Microsecond, Max: 2 * time.Millisecond}
	var buf bytes.Buffer
	if err := res.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"scenario": "refresh", "unit": "req", "concurrency": 4.0, "duration_seconds": 1.5,
		"requests": 3.0, "ok": 3.0, "errors": 0.0, "throttled": 0.0, "throughput_per_second": 2.0,
		"latency_ms":    map[string]any{"p50": 1.5, "p90": 0.0, "p99": 0.0, "max": 2.0},
		"error_samples": []any{},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WriteJSON mismatch (-want +got):\n%s", diff)
	}
	if strings.Contains(buf.String(), "counters") {
		t.Errorf("WriteJSON wrote empty counters: %s", buf.String())
	}
}
