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
	c                                  *counters
	pairPolicy, addrPolicy, userPolicy policy
}

// NewLoginGuard returns a LoginGuard configured by cfg.
func NewLoginGuard(cfg LoginGuardConfig) *LoginGuard {
	free := orDefault(cfg.FreeFailures, 5)
	return &LoginGuard{
		c:          newCounters(cfg.BaseDelay, cfg.Window, cfg.MaxKeys, cfg.Now),
		pairPolicy: policy{free, orDefault(cfg.MaxDelay, time.Minute)},
		addrPolicy: policy{orDefault(cfg.AddrFreeFailures, 4*free), orDefault(cfg.MaxDelay, time.Minute)},
		userPolicy: policy{orDefault(cfg.UserFreeFailures, 20*free), orDefault(cfg.UserMaxDelay, 10*time.Second)},
	}
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
	now := g.c.elapsed()
	pair, address, user := keys(username, addr)
	return max(g.c.wait(pair, g.pairPolicy, now),
		g.c.wait(address, g.addrPolicy, now),
		g.c.wait(user, g.userPolicy, now))
}

// Failed records a failed login of username from addr.
func (g *LoginGuard) Failed(username, addr string) {
	now := g.c.elapsed()
	pair, address, user := keys(username, addr)
	for _, key := range []string{pair, address, user} {
		g.c.fail(key, now)
	}
}

// Succeeded records a successful login of username from addr. It forgets the
// pair's failures and takes them off the address and user counters too, so
// that a user's own typos do not count against the address or the account.
// Failures from this address on other accounts, and on this account from
// other addresses, stay: logging in to one account cannot wipe out the
// record of spraying or of a distributed attack.
func (g *LoginGuard) Succeeded(username, addr string) {
	now := g.c.elapsed()
	pair, address, user := keys(username, addr)
	s := g.c.t.shard(pair)
	e := s.find(pair)
	n := 0
	if e != nil {
		if !g.c.idle(&e.val, now) {
			n = e.val.failures
		}
		s.remove(e)
	}
	s.mu.Unlock()
	if n == 0 {
		return
	}
	for _, key := range []string{address, user} {
		s := g.c.t.shard(key)
		if e := s.find(key); e != nil {
			e.val.failures = max(e.val.failures-n, 0)
		}
		s.mu.Unlock()
	}
}

// Len returns the number of counters the guard holds, for metrics and tests.
func (g *LoginGuard) Len() int { return g.c.t.len() }
