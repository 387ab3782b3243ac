// Package throttle limits request rates in memory, on one node, with bounded
// memory.
//
// Keyed is a token bucket per key (an address, a client, a user code) for
// endpoints that must not be hammered: device-code entry, polling, token
// requests. LoginGuard slows down failed logins per user and per address
// without ever locking an account out.
//
// Both keep at most a configured number of keys and forget the least recently
// used one to make room, so a flood of distinct keys costs a bounded amount of
// memory; the price is that a flood can make a limiter forget a key early.
// Several hubauth nodes behind one database each limit on their own: the
// effective limit is per node. Every time comes from an injected Now function
// so that tests pin the clock.
package throttle
