package throttle

import (
	"strconv"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	type step struct {
		advance time.Duration
		fail    bool // record a failure, else check
		key     string
		want    time.Duration // for a check
	}
	fail := func(n int, key string) []step {
		s := make([]step, n)
		for i := range s {
			s[i] = step{fail: true, key: key}
		}
		return s
	}
	check := func(advance time.Duration, key string, want time.Duration) []step {
		return []step{{advance: advance, key: key, want: want}}
	}
	join := func(parts ...[]step) []step {
		var all []step
		for _, p := range parts {
			all = append(all, p...)
		}
		return all
	}
	s := time.Second
	tests := []struct {
		name  string
		steps []step
	}{
		{"no failures", check(0, "a", 0)},
		{"free failures", join(fail(5, "a"), check(0, "a", 0))},
		{"first delay", join(fail(6, "a"), check(0, "a", 5*s))},
		{"doubling", join(fail(7, "a"), check(0, "a", 10*s), fail(1, "a"), check(0, "a", 20*s))},
		{"counted from the last failure", join(fail(6, "a"), check(3*s, "a", 2*s), check(2*s, "a", 0))},
		{"cap", join(fail(30, "a"), check(0, "a", 2*time.Minute))},
		{"keys are independent", join(fail(10, "a"), check(0, "b", 0))},
		{"window expiry", join(fail(30, "a"), check(10*time.Minute, "a", 0),
			fail(5, "a"), check(0, "a", 0), fail(1, "a"), check(0, "a", 5*s))},
		{"window counts from the last failure", join(fail(6, "a"), check(9*time.Minute, "a", 0),
			fail(1, "a"), check(0, "a", 10*s))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			b := NewBackoff(BackoffConfig{BaseDelay: 5 * time.Second, MaxDelay: 2 * time.Minute, Window: 10 * time.Minute, Now: c.Now})
			for i, st := range tt.steps {
				c.Advance(st.advance)
				if st.fail {
					b.Failed(st.key)
					continue
				}
				if got := b.Check(st.key); got != st.want {
					t.Errorf("step %d: Check(%q) = %v, want %v", i, st.key, got, st.want)
				}
			}
		})
	}
}

func TestBackoffDefaults(t *testing.T) {
	c := newClock()
	b := NewBackoff(BackoffConfig{Now: c.Now})
	for range 6 {
		b.Failed("a")
	}
	if got := b.Check("a"); got != time.Second {
		t.Errorf("after 6 failures: Check = %v, want 1s", got)
	}
	for range 20 {
		b.Failed("a")
	}
	if got := b.Check("a"); got != time.Minute {
		t.Errorf("after 26 failures: Check = %v, want the 60s cap", got)
	}
}

func TestBackoffBoundedKeys(t *testing.T) {
	const maxKeys = 1000
	b := NewBackoff(BackoffConfig{MaxKeys: maxKeys, Now: newClock().Now})
	for i := range 100_000 {
		b.Failed("203.0.113." + strconv.Itoa(i))
	}
	if n := b.Len(); n > maxKeys {
		t.Errorf("Len = %d after 100k distinct keys, want at most %d", n, maxKeys)
	}
}
