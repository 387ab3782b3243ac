package provider

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

func TestPollTracker(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	expires := t0.Add(10 * time.Minute)
	p := newPollTracker(5*time.Second, 2)
	for _, step := range []struct {
		name string
		at   time.Duration
		want bool
	}{
		{"first poll", 0, true},
		{"after the interval", 5 * time.Second, true},
		{"within the jitter tolerance", 9600 * time.Millisecond, true},
		{"too fast: slow_down (RFC 8628 §3.5)", 11 * time.Second, false},
		{"the interval grew by 5 s, and grows again", 20 * time.Second, false},
		{"after the grown interval", 35 * time.Second, true},
	} {
		if got := p.allow("dc", t0.Add(step.at), expires); got != step.want {
			t.Errorf("%s: allow = %v, want %v", step.name, got, step.want)
		}
	}
	p.forget("dc")
	if !p.allow("dc", t0.Add(36*time.Second), expires) {
		t.Error("a forgotten code's next poll was refused")
	}

	p.allow("other", t0, t0) // expires at once
	p.allow("third", t0.Add(time.Minute), expires)
	if len(p.codes) > 2 {
		t.Errorf("tracked codes = %d, want at most 2", len(p.codes))
	}
	if _, ok := p.codes["other"]; ok {
		t.Error("an expired code was kept while the table was full")
	}
}

func TestRowCache(t *testing.T) {
	now := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	loads := map[string]int{}
	fail := errors.New("database away")
	failing := false
	c := newRowCache(func(_ context.Context, id string) (string, error) {
		loads[id]++
		switch {
		case failing:
			return "", fail
		case id == "gone":
			return "", storage.ErrNotFound
		}
		return "row " + id, nil
	}, func() time.Time { return now })
	get := func(id string) (string, error) { return c.get(context.Background(), id) }

	if row, err := get("a"); row != "row a" || err != nil {
		t.Fatalf("get = %q, %v", row, err)
	}
	get("a")
	get("gone")
	if _, err := get("gone"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("cached not-found = %v, want ErrNotFound", err)
	}
	if loads["a"] != 1 || loads["gone"] != 1 {
		t.Errorf("loads within the TTL = %v, want one each (not-found cached too)", loads)
	}
	now = now.Add(cacheTTL)
	failing = true
	if _, err := get("a"); !errors.Is(err, fail) {
		t.Errorf("get after the TTL with the database away = %v, want its error", err)
	}
	failing = false
	if row, err := get("a"); row != "row a" || err != nil || loads["a"] != 3 {
		t.Errorf("get after a failure = %q, %v (loads %d), want reloaded: failures are not cached", row, err, loads["a"])
	}
	now = now.Add(-time.Minute) // the clock went back
	get("a")
	if loads["a"] != 4 {
		t.Errorf("loads after the clock went back = %d, want a reload", loads["a"])
	}
}
