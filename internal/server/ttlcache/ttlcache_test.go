package ttlcache

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestValueLoad(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	errDown := errors.New("down")
	type step struct {
		after time.Duration // clock offset from start
		fail  bool          // the loader fails
		want  int           // value returned
		err   bool          // an error is returned
		calls int           // loader calls so far
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"cached within ttl", []step{{0, false, 1, false, 1}, {time.Second, false, 1, false, 1}}},
		{"reloaded at ttl", []step{{0, false, 1, false, 1}, {2 * time.Second, false, 2, false, 2}}},
		{"clock backwards reloads", []step{{time.Second, false, 1, false, 1}, {0, false, 2, false, 2}}},
		{"error not cached", []step{{0, true, 0, true, 1}, {0, false, 2, false, 2}}},
		{"error keeps last", []step{{0, false, 1, false, 1}, {3 * time.Second, true, 0, true, 2}, {3 * time.Second, false, 3, false, 3}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			now := start
			v := New[int](2*time.Second, func() time.Time { return now })
			calls := 0
			for i, s := range tc.steps {
				now = start.Add(s.after)
				got, err := v.Load(t.Context(), func(context.Context) (int, error) {
					calls++
					if s.fail {
						return 0, errDown
					}
					return calls, nil
				})
				if (err != nil) != s.err || got != s.want || calls != s.calls {
					t.Fatalf("step %d: got %d, %v after %d calls; want %d, error %v, %d calls", i, got, err, calls, s.want, s.err, s.calls)
				}
			}
		})
	}
}

func TestValueLast(t *testing.T) {
	v := New[string](time.Second, nil)
	if _, ok := v.Last(); ok {
		t.Fatal("Last on an empty value reports one")
	}
	if _, err := v.Load(t.Context(), func(context.Context) (string, error) { return "a", nil }); err != nil {
		t.Fatal(err)
	}
	if got, ok := v.Last(); !ok || got != "a" {
		t.Fatalf("Last = %q, %v; want a, true", got, ok)
	}
}
