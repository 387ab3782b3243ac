package throttle

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

// step is one action on a LoginGuard: advance the clock, then record a
// failure ("fail"), a success ("ok") or check the wait ("check").
type step struct {
	advance    time.Duration
	do         string
	user, addr string
	want       time.Duration // for "check"
}

func fails(n int, user, addr string) []step {
	s := make([]step, n)
	for i := range s {
		s[i] = step{do: "fail", user: user, addr: addr}
	}
	return s
}

// spray fails once for each of n usernames from addr.
func spray(n int, addr string) []step {
	s := make([]step, n)
	for i := range s {
		s[i] = step{do: "fail", user: "user" + strconv.Itoa(i), addr: addr}
	}
	return s
}

// distributed fails n times for user, each from another address.
func distributed(n int, user string) []step {
	s := make([]step, n)
	for i := range s {
		s[i] = step{do: "fail", user: user, addr: "198.51.100." + strconv.Itoa(i)}
	}
	return s
}

func check(advance time.Duration, user, addr string, want time.Duration) step {
	return step{advance: advance, do: "check", user: user, addr: addr, want: want}
}

func steps(parts ...any) []step {
	var all []step
	for _, p := range parts {
		switch p := p.(type) {
		case step:
			all = append(all, p)
		case []step:
			all = append(all, p...)
		}
	}
	return all
}

const a, b = "192.0.2.1", "192.0.2.2"

func TestLoginGuard(t *testing.T) {
	s := time.Second
	tests := []struct {
		name  string
		steps []step
	}{
		{"no failures", steps(check(0, "alice", a, 0))},
		{"free failures", steps(fails(5, "alice", a), check(0, "alice", a, 0))},
		{"first delay", steps(fails(6, "alice", a), check(0, "alice", a, s))},
		{"doubling", steps(fails(7, "alice", a), check(0, "alice", a, 2*s),
			fails(1, "alice", a), check(0, "alice", a, 4*s))},
		{"counted from the last failure", steps(fails(7, "alice", a),
			check(1500*time.Millisecond, "alice", a, 500*time.Millisecond),
			check(500*time.Millisecond, "alice", a, 0))},
		{"cap", steps(fails(5+20, "alice", a), check(0, "alice", a, time.Minute))},
		{"window expiry", steps(fails(25, "alice", a),
			check(15*time.Minute, "alice", a, 0),
			fails(5, "alice", a), check(0, "alice", a, 0),
			fails(1, "alice", a), check(0, "alice", a, s))},
		{"window counts from the last failure", steps(fails(6, "alice", a),
			check(10*time.Minute, "alice", a, 0),
			fails(1, "alice", a), check(0, "alice", a, 2*s))},
		{"success clears", steps(fails(8, "alice", a), step{do: "ok", user: "alice", addr: a},
			check(0, "alice", a, 0), fails(5, "alice", a), check(0, "alice", a, 0))},
		{"usernames ignore case", steps(fails(6, "Alice", a), check(0, "ALICE", a, s),
			step{do: "ok", user: "alice", addr: a}, check(0, "Alice", a, 0))},
		{"other address unaffected", steps(fails(10, "alice", a), check(0, "alice", b, 0))},
		{"other user unaffected", steps(fails(10, "alice", a), check(0, "bob", a, 0))},
		{"address spraying", steps(spray(20, a), check(0, "carol", a, 0),
			spray(21, a)[20], check(0, "carol", a, s), check(0, "user3", b, 0))},
		{"success does not clear spraying", steps(spray(22, a),
			step{do: "ok", user: "mallory", addr: a}, check(0, "carol", a, 2*s))},
		{"own typos leave the address counter", steps(spray(18, a), fails(4, "alice", a),
			step{do: "ok", user: "alice", addr: a}, spray(2, a), check(0, "carol", a, 0))},
		{"distributed attack on one user", steps(distributed(100, "alice"),
			check(0, "alice", b, 0), distributed(1, "alice"), check(0, "alice", b, s))},
		{"distributed attack is capped low", steps(distributed(200, "alice"),
			check(0, "alice", b, 10*s), check(0, "bob", b, 0))},
		{"success does not clear a distributed attack", steps(distributed(101, "alice"),
			fails(1, "alice", b), step{do: "ok", user: "alice", addr: b}, check(0, "alice", a, s))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			g := NewLoginGuard(LoginGuardConfig{Now: c.Now})
			for i, st := range tt.steps {
				c.Advance(st.advance)
				switch st.do {
				case "fail":
					g.Failed(st.user, st.addr)
				case "ok":
					g.Succeeded(st.user, st.addr)
				case "check":
					if got := g.Check(st.user, st.addr); got != st.want {
						t.Errorf("step %d: Check(%q, %q) = %v, want %v", i, st.user, st.addr, got, st.want)
					}
				}
			}
		})
	}
}

func TestLoginGuardConfig(t *testing.T) {
	c := newClock()
	g := NewLoginGuard(LoginGuardConfig{
		FreeFailures: 1, BaseDelay: 100 * time.Millisecond, MaxDelay: 300 * time.Millisecond,
		Window: time.Minute, Now: c.Now,
	})
	want := []time.Duration{0, 100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond, 300 * time.Millisecond}
	for i, w := range want {
		g.Failed("alice", a)
		if got := g.Check("alice", a); got != w {
			t.Errorf("after %d failures: Check = %v, want %v", i+1, got, w)
		}
	}
	c.Advance(time.Minute)
	if got := g.Check("alice", a); got != 0 {
		t.Errorf("after the window: Check = %v, want 0", got)
	}
}

func TestKeysDoNotCollide(t *testing.T) {
	tests := []struct{ u1, a1, u2, a2 string }{
		{"ab", "c", "a", "bc"},
		{"", "ab", "a", "b"},
		{"Ab", "c", "aB", "c"}, // same user: must collide
	}
	for _, tt := range tests {
		t.Run(tt.u1+"|"+tt.a1, func(t *testing.T) {
			p1, _, _ := keys(tt.u1, tt.a1)
			p2, _, _ := keys(tt.u2, tt.a2)
			same := tt.a1 == tt.a2
			if (p1 == p2) != same {
				t.Errorf("keys(%q,%q) = %q, keys(%q,%q) = %q", tt.u1, tt.a1, p1, tt.u2, tt.a2, p2)
			}
		})
	}
}

func TestLoginGuardBoundedKeys(t *testing.T) {
	const maxKeys = 1000
	g := NewLoginGuard(LoginGuardConfig{MaxKeys: maxKeys, Now: newClock().Now})
	for i := range 100_000 {
		n := strconv.Itoa(i)
		g.Failed("user"+n, "203.0.113."+n)
	}
	if n := g.Len(); n > maxKeys {
		t.Errorf("Len = %d after 100k distinct keys, want at most %d", n, maxKeys)
	}
}

func TestLoginGuardConcurrent(t *testing.T) {
	g := NewLoginGuard(LoginGuardConfig{MaxKeys: 500, Now: newClock().Now})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				user, addr := "user"+strconv.Itoa(i%50), "addr"+strconv.Itoa(w)
				g.Check(user, addr)
				g.Failed(user, addr)
				if i%7 == 0 {
					g.Succeeded(user, addr)
				}
			}
		})
	}
	wg.Wait()
	if n := g.Len(); n > 500 {
		t.Errorf("Len = %d, want at most 500", n)
	}
}

func BenchmarkLoginGuardCheck(b *testing.B) {
	g := NewLoginGuard(LoginGuardConfig{})
	for i := range 1000 {
		g.Failed("user"+strconv.Itoa(i), a)
	}
	for b.Loop() {
		g.Check("user42", a)
	}
}

func BenchmarkLoginGuardFailed(b *testing.B) {
	g := NewLoginGuard(LoginGuardConfig{})
	users := benchKeys(4096)
	i := 0
	for b.Loop() {
		g.Failed(users[i&4095], a)
		i++
	}
}
