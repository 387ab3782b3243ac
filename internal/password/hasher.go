package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Sentinel errors that callers branch on with errors.Is.
var (
	// ErrBusy means every worker is busy and the queue is full. Nothing was
	// hashed; servers answer 503 (or 429) with a short Retry-After.
	ErrBusy = errors.New("password: all workers busy")
	// ErrClosed means the Hasher has been closed.
	ErrClosed = errors.New("password: hasher closed")
)

// A Hasher hashes and verifies passwords on a fixed pool of workers. Its
// methods are safe for concurrent use. Call Close to stop the workers.
type Hasher struct {
	params     Params
	dummySalt  []byte
	slots      chan struct{} // one per request admitted: running or waiting
	jobs       chan *job
	quit       chan struct{}
	closeOnce  sync.Once
	wg         sync.WaitGroup
	beforeWork func() // test hook, called by a worker before each hash
}

// job is one argon2id derivation waiting for, or running on, a worker.
type job struct {
	ctx      context.Context
	password string
	salt     []byte
	params   Params
	done     chan []byte // buffered: a worker never blocks on an absent caller
}

// NewHasher starts a Hasher that makes new hashes with p (zero fields take the
// value of DefaultParams) on workers goroutines, with room for queue more
// requests to wait for a free worker. workers 0 means runtime.NumCPU();
// queue 0 means 4 × workers, and a negative queue means that no request waits.
//
// NewHasher panics if p fails Validate: check parameters that come from
// configuration with Validate first.
func NewHasher(p Params, workers, queue int) *Hasher {
	return newHasher(p, workers, queue, nil)
}

func newHasher(p Params, workers, queue int, beforeWork func()) *Hasher {
	p = p.withDefaults()
	if err := p.Validate(); err != nil {
		panic(err)
	}
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	switch {
	case queue == 0:
		queue = 4 * workers
	case queue < 0:
		queue = 0
	}
	h := &Hasher{
		params:     p,
		dummySalt:  make([]byte, p.SaltLen),
		slots:      make(chan struct{}, workers+queue),
		jobs:       make(chan *job, workers+queue),
		quit:       make(chan struct{}),
		beforeWork: beforeWork,
	}
	rand.Read(h.dummySalt)
	h.wg.Add(workers)
	for range workers {
		go h.work()
	}
	return h
}

// Params returns the parameters of new hashes.
func (h *Hasher) Params() Params { return h.params }

// Hash returns the PHC string of a new argon2id hash of password under a
// fresh random salt.
//
// It fails with ErrBusy when the pool is saturated, with ctx's error when ctx
// ends first, and with ErrClosed after Close.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, h.params.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: reading random salt: %w", err)
	}
	key, err := h.derive(ctx, password, salt, h.params)
	if err != nil {
		return "", err
	}
	return encode(h.params, salt, key), nil
}

// Verify reports whether password matches encoded, a PHC string made by Hash
// under any parameters Params.Validate accepts. The comparison takes constant
// time. A mismatch is (false, nil); an unusable encoded gives an error that
// wraps ErrInvalidHash, without allocating what its parameters ask for.
// Verify fails like Hash when the pool is saturated, ctx ends or h is closed.
func (h *Hasher) Verify(ctx context.Context, encoded, password string) (bool, error) {
	d, err := parse(encoded)
	if err != nil {
		return false, err
	}
	key, err := h.derive(ctx, password, d.salt, d.params)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(key, d.key) == 1, nil
}

// VerifyDummy does the work of one Verify under h's parameters and discards
// the result. Call it when the username is unknown, so that the time of the
// answer does not tell whether the user exists. It returns only the errors of
// the pool (ErrBusy, ctx's error, ErrClosed), which callers may treat as for
// Verify.
func (h *Hasher) VerifyDummy(ctx context.Context, password string) error {
	_, err := h.derive(ctx, password, h.dummySalt, h.params)
	return err
}

// NeedsRehash reports whether encoded should be replaced by a new Hash of the
// same password: it is not a valid hash, or it was made with parameters other
// than h's. Call it after a successful Verify.
func (h *Hasher) NeedsRehash(encoded string) bool {
	d, err := parse(encoded)
	return err != nil || d.params != h.params
}

// Close stops the workers and waits for a hash in progress to finish.
// Requests still queued, and any made later, fail with ErrClosed. Close may be
// called more than once.
func (h *Hasher) Close() {
	h.closeOnce.Do(func() { close(h.quit) })
	h.wg.Wait()
}

// derive runs one argon2id derivation on a worker. Admission counts requests
// rather than idle workers, so it is exact: at most workers+queue requests are
// in the pool, and one more is ErrBusy at once, never a wait.
func (h *Hasher) derive(ctx context.Context, password string, salt []byte, p Params) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	select {
	case <-h.quit:
		return nil, ErrClosed
	default:
	}
	select {
	case h.slots <- struct{}{}:
	default:
		return nil, ErrBusy
	}
	j := &job{ctx: ctx, password: password, salt: salt, params: p, done: make(chan []byte, 1)}
	h.jobs <- j // never blocks: jobs has a place for every slot
	select {
	case key := <-j.done:
		return key, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-h.quit:
		return nil, ErrClosed
	}
}

// work is the loop of one worker.
func (h *Hasher) work() {
	defer h.wg.Done()
	for {
		select {
		case <-h.quit:
			return
		case j := <-h.jobs:
			h.run(j)
			<-h.slots
		}
	}
}

// run derives the key of j and hands it to the caller, unless the caller has
// already given up.
func (h *Hasher) run(j *job) {
	if j.ctx.Err() != nil {
		return // do not spend a hash on a caller that has gone
	}
	if h.beforeWork != nil {
		h.beforeWork()
	}
	p := j.params
	j.done <- argon2.IDKey([]byte(j.password), j.salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}
