package compat

import (
	"math"
	"net/url"
	"testing"
)

// TestReadPositionBounded: the largest positions the query allows give a
// start within maxStart, so that start + page_size fits an int even where
// int is 32 bits (a page past the end is then NOMAD's 400, never a 500).
func TestReadPositionBounded(t *testing.T) {
	for _, q := range []string{
		"page=1073741824&page_size=1000",
		"page=1073741824&page_size=1",
		"page_offset=1073741824&page_size=1000",
		"page_after_value=1073741824&page_size=1000",
	} {
		t.Run(q, func(t *testing.T) {
			v, _ := url.ParseQuery(q)
			var p pagination
			if err := p.readPosition(v); err != nil {
				t.Fatalf("readPosition: %v", err)
			}
			if p.start < 0 || p.start > maxStart || int64(p.start)+int64(p.PageSize) > math.MaxInt32 {
				t.Errorf("start %d with page_size %d, want 0 to %d", p.start, p.PageSize, maxStart)
			}
			if err := p.finish(3, "https://hub.example", &url.URL{Path: pathPATs, RawQuery: q}); err == nil {
				t.Errorf("a page past the end of 3 tokens was not refused")
			}
		})
	}
}
