package throttle

import (
	"strconv"
	"strings"
	"time"
)

// LoginGuardConfig configures a LoginGuard. Zero fields take the defaults
// given beside them.
type LoginGuardConfig struct {
	// FreeFailures is how many failures one address may make for one user
	// before its attempts are delayed (default 5).
	FreeFailures int
	// AddrFreeFailures is how many failures one address may make across all
	// usernames before its attempts are delayed (default 4 × FreeFailures).
	AddrFreeFailures int
	// UserFreeFailures is how many failures all addresses together may make
	// for one user before attempts on that user are delayed (default
	// 20 × FreeFailures).
	UserFreeFailures int
	// BaseDelay is the delay after the first failure beyond the free ones;
	// it doubles with each further failure (default 1s).
	BaseDelay time.Duration
	// MaxDelay caps the delay of a (user, address) pair and of an address
	// (default 60s).
	MaxDelay time.Duration
	// UserMaxDelay caps the delay of a user across all addresses (default
	// 10s): low, because anyone can impose it on the real user.
	UserMaxDelay time.Duration
	// Window is how long after the last failure a counter is forgotten
	// (default 15m).
	Window time.Duration
	// MaxKeys bounds the counters kept, three per (user, address) at most
	// (default DefaultMaxKeys).
	MaxKeys int
	// Now returns the current time (default time.Now).
	Now func() time.Time
}

// LoginGuard slows down failed logins without ever locking an account out.
// Its methods are safe for concurrent use.
//
// It counts failures under three keys: the pair (username, address), the
// address alone and the username alone; usernames are compared
// case-insensitively and addresses as given (pass the client IP, an IPv6
// address perhaps reduced to its /64). Once a counter has used its free
// failures, the next attempt must wait BaseDelay after the last failure, and
// the wait doubles with each further failure up to the counter's cap. A
// counter is forgotten Window after its last failure. Check returns the
// longest wait of the three.
//
// The pair counter slows one address guessing one password. The address
// counter, with a larger allowance, slows one address spraying many
// usernames. The username counter slows a distributed guess at one account,
// but a failure from anywhere raises it, so an attacker can impose its wait
// on the real user for as long as the attack lasts; that is why it starts only
// after many failures (UserFreeFailures) and is capped low (UserMaxDelay):
// the real user can always log in, at worst a few seconds late, while a
// distributed attacker gets about one guess per UserMaxDelay (a few more when
// attempts race between Check and Failed).
type LoginGuard struct {
	now                                func() time.Time
	origin                             time.Time
	base, window                       time.Duration
	pairPolicy, addrPolicy, userPolicy policy
	t                                  *table[counter]
}

// policy is when a counter starts to delay and its cap.
type policy struct {
	free     int
	maxDelay time.Duration
}

// counter is the failures under one key and the time of the last one, as a
// duration since the guard's origin.
type counter struct {
	failures int
	last     time.Duration
}

// NewLoginGuard returns a LoginGuard configured by cfg.
func NewLoginGuard(cfg LoginGuardConfig) *LoginGuard {
	free := orDefault(cfg.FreeFailures, 5)
	g := &LoginGuard{
		now:        cfg.Now,
		base:       orDefault(cfg.BaseDelay, time.Second),
		window:     orDefault(cfg.Window, 15*time.Minute),
		pairPolicy: policy{free, orDefault(cfg.MaxDelay, time.Minute)},
		addrPolicy: policy{orDefault(cfg.AddrFreeFailures, 4*free), orDefault(cfg.MaxDelay, time.Minute)},
		userPolicy: policy{orDefault(cfg.UserFreeFailures, 20*free), orDefault(cfg.UserMaxDelay, 10*time.Second)},
	}
	if g.now == nil {
		g.now = time.Now
	}
	g.origin = g.now()
	g.t = newTable(orDefault(cfg.MaxKeys, DefaultMaxKeys), g.idle)
	return g
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// idle reports whether c no longer counts: no failures, or none for Window.
func (g *LoginGuard) idle(c *counter, now time.Duration) bool {
	return c.failures == 0 || now-c.last >= g.window
}

// keys returns the pair, address and user keys. The pair key is prefixed with
// the username's length so that no two (username, address) pairs share it.
func keys(username, addr string) (pair, address, user string) {
	u := strings.ToLower(username)
	return "p" + strconv.Itoa(len(u)) + ":" + u + addr, "a" + addr, "u" + u
}

// Check returns how long the caller must wait before trying username from
// addr, or 0 when the attempt may go ahead. A caller that gets a wait answers
// 429 with Retry-After without checking the password (and without calling
// Failed).
func (g *LoginGuard) Check(username, addr string) (retryAfter time.Duration) {
	now := g.now().Sub(g.origin)
	pair, address, user := keys(username, addr)
	return max(g.wait(pair, g.pairPolicy, now),
		g.wait(address, g.addrPolicy, now),
		g.wait(user, g.userPolicy, now))
}

func (g *LoginGuard) wait(key string, p policy, now time.Duration) time.Duration {
	s := g.t.shard(key)
	defer s.mu.Unlock()
	e := s.find(key)
	if e == nil || g.idle(&e.val, now) || e.val.failures <= p.free {
		return 0
	}
	d := g.base
	for i := p.free + 1; i < e.val.failures && d < p.maxDelay; i++ {
		d *= 2
	}
	return max(e.val.last+min(d, p.maxDelay)-now, 0)
}

// Failed records a failed login of username from addr.
func (g *LoginGuard) Failed(username, addr string) {
	now := g.now().Sub(g.origin)
	pair, address, user := keys(username, addr)
	for _, key := range []string{pair, address, user} {
		s := g.t.shard(key)
		e, _ := s.lookup(key, now)
		if g.idle(&e.val, now) {
			e.val.failures = 0
		}
		e.val.failures++
		e.val.last = now
		s.mu.Unlock()
	}
}

// Succeeded records a successful login of username from addr. It forgets the
// pair's failures and takes them off the address and user counters too, so
// that a user's own typos do not count against the address or the account.
// Failures from this address on other accounts, and on this account from
// other addresses, stay: logging in to one account cannot wipe out the
// record of spraying or of a distributed attack.
func (g *LoginGuard) Succeeded(username, addr string) {
	now := g.now().Sub(g.origin)
	pair, address, user := keys(username, addr)
	s := g.t.shard(pair)
	e := s.find(pair)
	n := 0
	if e != nil {
		if !g.idle(&e.val, now) {
			n = e.val.failures
		}
		s.remove(e)
	}
	s.mu.Unlock()
	if n == 0 {
		return
	}
	for _, key := range []string{address, user} {
		s := g.t.shard(key)
		if e := s.find(key); e != nil {
			e.val.failures = max(e.val.failures-n, 0)
		}
		s.mu.Unlock()
	}
}

// Len returns the number of counters the guard holds, for metrics and tests.
func (g *LoginGuard) Len() int { return g.t.len() }
