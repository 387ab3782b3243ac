package logsink_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/logsink"
)

// lockedBuffer records writes: how many, and what.
type lockedBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.writes++
	return b.buf.Write(p)
}

func TestWriterKeepsEveryLineInOrder(t *testing.T) {
	tests := []struct {
		name    string
		writers int
		lines   int
	}{
		{name: "one writer", writers: 1, lines: 1000},
		{name: "many writers", writers: 8, lines: 2000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out lockedBuffer
			w := logsink.New(&out)
			var wg sync.WaitGroup
			for g := range tt.writers {
				wg.Go(func() {
					for i := range tt.lines {
						fmt.Fprintf(w, "%d %d\n", g, i)
					}
				})
			}
			wg.Wait()
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			next := make([]int, tt.writers)
			lines := strings.Split(strings.TrimSuffix(out.buf.String(), "\n"), "\n")
			for _, l := range lines {
				var g, i int
				if _, err := fmt.Sscanf(l, "%d %d", &g, &i); err != nil || i != next[g] {
					t.Fatalf("line %q: want writer %d's line %d", l, g, next[g])
				}
				next[g]++
			}
			if len(lines) != tt.writers*tt.lines {
				t.Errorf("%d lines, want %d", len(lines), tt.writers*tt.lines)
			}
		})
	}
}

func TestWriterAfterClose(t *testing.T) {
	var out lockedBuffer
	w := logsink.New(&out)
	fmt.Fprintln(w, "before")
	must(t, w.Close())
	must(t, w.Close())
	fmt.Fprintln(w, "after")
	if got := out.buf.String(); got != "before\nafter\n" {
		t.Errorf("written %q, want both lines in order", got)
	}
}

// TestWriterBoundsTheBuffer writes more than the buffer holds to a
// destination that is slow to start: nothing is lost.
func TestWriterBoundsTheBuffer(t *testing.T) {
	gate := make(chan struct{})
	var out lockedBuffer
	w := logsink.New(writerFunc(func(p []byte) (int, error) { <-gate; return out.Write(p) }))
	line := strings.Repeat("x", 1023) + "\n"
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 3 << 10 { // 3 MiB
			w.Write([]byte(line))
		}
	}()
	close(gate)
	<-done
	must(t, w.Close())
	if out.buf.Len() != 3<<20 {
		t.Errorf("written %d bytes, want %d", out.buf.Len(), 3<<20)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestWriterWritesAtMostOnceAMillisecond: lines that come every 100 µs
// go out in at most one write per millisecond (plus the first, at once),
// not one write each.
func TestWriterWritesAtMostOnceAMillisecond(t *testing.T) {
	var out lockedBuffer
	w := logsink.New(&out)
	const lines = 40
	began := time.Now()
	for i := range lines {
		fmt.Fprintln(w, "line", i)
		for next := time.Now().Add(100 * time.Microsecond); time.Now().Before(next); { // time.Sleep is coarser
		}
	}
	must(t, w.Close())
	bound := int(time.Since(began)/time.Millisecond) + 2
	if out.writes > bound {
		t.Errorf("%d lines in %d writes over %s; want at most %d", lines, out.writes, time.Since(began), bound)
	}
	if got := strings.Count(out.buf.String(), "\n"); got != lines {
		t.Errorf("%d lines written, want %d", got, lines)
	}
}
