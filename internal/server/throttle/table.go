package throttle

import (
	"hash/maphash"
	"sync"
	"time"
)

// table is a map from string keys to values of type V that holds at most a
// fixed number of keys, evicting the least recently used. It is split into
// shards, each with its own lock, so that concurrent callers rarely contend.
//
// Times are durations since an origin chosen by the owner of the table.
type table[V any] struct {
	seed   maphash.Seed
	shards []shard[V]
	mask   uint64
}

// shard is one part of a table: a map plus a doubly linked list of its
// entries from most (head) to least (tail) recently used. Callers hold mu
// around every method.
type shard[V any] struct {
	mu         sync.Mutex
	m          map[string]*entry[V]
	head, tail *entry[V]
	max        int
	idle       func(v *V, now time.Duration) bool
}

type entry[V any] struct {
	key        string
	val        V
	prev, next *entry[V]
}

// Sharding: up to maxShards shards, each with room for at least minShardKeys
// keys, so that tiny tables are not split into uselessly small LRU lists.
const (
	maxShards    = 16
	minShardKeys = 64
)

// newTable returns a table holding at most maxKeys keys (at least 1). idle
// reports whether a value carries no state any more at time now, so that its
// entry may be dropped as if it had never been made.
func newTable[V any](maxKeys int, idle func(v *V, now time.Duration) bool) *table[V] {
	maxKeys = max(maxKeys, 1)
	n := 1
	for n < maxShards && maxKeys/(2*n) >= minShardKeys {
		n *= 2
	}
	t := &table[V]{seed: maphash.MakeSeed(), shards: make([]shard[V], n), mask: uint64(n - 1)}
	for i := range t.shards {
		t.shards[i] = shard[V]{m: make(map[string]*entry[V]), max: maxKeys / n, idle: idle}
	}
	return t
}

// shard returns the shard that holds key, locked; the caller unlocks it.
func (t *table[V]) shard(key string) *shard[V] {
	s := &t.shards[maphash.String(t.seed, key)&t.mask]
	s.mu.Lock()
	return s
}

// len returns the number of keys held.
func (t *table[V]) len() int {
	n := 0
	for i := range t.shards {
		s := &t.shards[i]
		s.mu.Lock()
		n += len(s.m)
		s.mu.Unlock()
	}
	return n
}

// find returns the entry of key and marks it used, or nil.
func (s *shard[V]) find(key string) *entry[V] {
	e := s.m[key]
	if e != nil && e != s.head {
		s.unlink(e)
		s.pushFront(e)
	}
	return e
}

// lookup returns the entry of key, marked used. A new entry has the zero V
// and created true. To make room it evicts the least recently used entry
// when the shard is full, and drops up to two more from the tail that are
// idle at now (a refilled bucket, forgotten failures), so that the table
// shrinks when traffic stops.
func (s *shard[V]) lookup(key string, now time.Duration) (e *entry[V], created bool) {
	if e := s.find(key); e != nil {
		return e, false
	}
	if len(s.m) >= s.max {
		s.remove(s.tail)
	}
	for i := 0; i < 2 && s.tail != nil && s.idle(&s.tail.val, now); i++ {
		s.remove(s.tail)
	}
	e = &entry[V]{key: key}
	s.m[key] = e
	s.pushFront(e)
	return e, true
}

// remove deletes e from the shard.
func (s *shard[V]) remove(e *entry[V]) {
	s.unlink(e)
	delete(s.m, e.key)
}

func (s *shard[V]) pushFront(e *entry[V]) {
	e.prev, e.next = nil, s.head
	if s.head != nil {
		s.head.prev = e
	} else {
		s.tail = e
	}
	s.head = e
}

func (s *shard[V]) unlink(e *entry[V]) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		s.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		s.tail = e.prev
	}
	e.prev, e.next = nil, nil
}
