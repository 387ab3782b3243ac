package throttle

import (
	"testing"
	"time"
)

func neverIdle(*int, time.Duration) bool { return false }

func TestNewTableShards(t *testing.T) {
	tests := []struct {
		maxKeys, shards, perShard int
	}{
		{0, 1, 1},
		{1, 1, 1},
		{127, 1, 127},
		{128, 2, 64},
		{1000, 8, 125},
		{100_000, 16, 6250},
	}
	for _, tt := range tests {
		tb := newTable(tt.maxKeys, neverIdle)
		if len(tb.shards) != tt.shards || tb.shards[0].max != tt.perShard {
			t.Errorf("newTable(%d): %d shards of %d, want %d of %d",
				tt.maxKeys, len(tb.shards), tb.shards[0].max, tt.shards, tt.perShard)
		}
	}
}

func TestShardEvictsLeastRecentlyUsed(t *testing.T) {
	tests := []struct {
		name    string
		touch   []string // keys used, in order, in a shard of 3
		present []string
		absent  []string
	}{
		{"fills up", []string{"a", "b", "c"}, []string{"a", "b", "c"}, nil},
		{"evicts the oldest", []string{"a", "b", "c", "d"}, []string{"b", "c", "d"}, []string{"a"}},
		{"use refreshes", []string{"a", "b", "c", "a", "d"}, []string{"a", "c", "d"}, []string{"b"}},
		{"head refresh is a no-op", []string{"a", "b", "b", "c", "d"}, []string{"b", "c", "d"}, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := newTable(3, neverIdle)
			s := &tb.shards[0]
			for _, k := range tt.touch {
				s.lookup(k, 0)
			}
			for _, k := range tt.present {
				if s.m[k] == nil {
					t.Errorf("%q evicted, want present", k)
				}
			}
			for _, k := range tt.absent {
				if s.m[k] != nil {
					t.Errorf("%q present, want evicted", k)
				}
			}
			checkList(t, s)
		})
	}
}

// checkList verifies that the list of s links exactly the entries of its map.
func checkList[V any](t *testing.T, s *shard[V]) {
	t.Helper()
	n := 0
	var prev *entry[V]
	for e := s.head; e != nil; e = e.next {
		if e.prev != prev || s.m[e.key] != e {
			t.Fatalf("list broken at %q", e.key)
		}
		prev = e
		n++
	}
	if s.tail != prev || n != len(s.m) {
		t.Fatalf("list has %d entries ending at %v, map has %d", n, s.tail, len(s.m))
	}
}
