package password

import "fmt"

// Params are the argon2id cost parameters and output sizes.
type Params struct {
	// Memory is the memory cost in KiB.
	Memory uint32
	// Time is the number of passes over the memory.
	Time uint32
	// Threads is the degree of parallelism (lanes) of one hash.
	Threads uint8
	// SaltLen is the length in bytes of the random salt of new hashes.
	SaltLen uint32
	// KeyLen is the length in bytes of the derived hash.
	KeyLen uint32
}

// DefaultParams are the parameters of new hashes: the OWASP Password Storage
// Cheat Sheet's argon2id baseline of 19 MiB, two passes and one lane, with a
// 16-byte salt and a 32-byte hash.
//
// One hash costs about 20–40 ms of one core, so a two-core server verifies
// several tens of logins per second while each login keeps only 19 MiB in
// flight per worker. RFC 9106's first recommendation (2 GiB, t=1) and its
// second (64 MiB, t=3) would cut that to a handful per second and make the
// pool's memory, not its CPU, the limit; raise the cost only on larger
// machines. Hashes made with other parameters keep verifying (see NeedsRehash).
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// TestParams are cheap parameters (64 KiB, one pass) for tests only: they
// offer no protection against offline guessing.
var TestParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// Limits on parameters, both for new hashes and for hashes read back from
// storage: a stored hash outside them is rejected before anything is
// allocated, so a corrupted or hostile row cannot make a login allocate
// gigabytes or spin for minutes.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxTime    = 64
	maxThreads = 16
	minSaltLen = 8
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 128
)

// Validate reports whether p is within the limits this package accepts:
// Memory from 8 KiB per thread up to 1 GiB, Time 1–64, Threads 1–16,
// SaltLen 8–64 and KeyLen 16–128. Parameters from configuration should be
// validated before they are passed to NewHasher.
func (p Params) Validate() error {
	switch {
	case p.Threads < 1 || p.Threads > maxThreads:
		return fmt.Errorf("password: threads %d out of range 1-%d", p.Threads, maxThreads)
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return fmt.Errorf("password: memory %d KiB out of range %d-%d", p.Memory, 8*uint32(p.Threads), maxMemory)
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("password: time %d out of range 1-%d", p.Time, maxTime)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("password: salt length %d out of range %d-%d", p.SaltLen, minSaltLen, maxSaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("password: key length %d out of range %d-%d", p.KeyLen, minKeyLen, maxKeyLen)
	}
	return nil
}

// withDefaults returns p with each zero field taken from DefaultParams.
func (p Params) withDefaults() Params {
	d := DefaultParams
	if p.Memory == 0 {
		p.Memory = d.Memory
	}
	if p.Time == 0 {
		p.Time = d.Time
	}
	if p.Threads == 0 {
		p.Threads = d.Threads
	}
	if p.SaltLen == 0 {
		p.SaltLen = d.SaltLen
	}
	if p.KeyLen == 0 {
		p.KeyLen = d.KeyLen
	}
	return p
}
