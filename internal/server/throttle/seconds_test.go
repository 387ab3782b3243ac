package throttle

import (
	"testing"
	"time"
)

func TestSeconds(t *testing.T) {
	for _, tt := range []struct {
		wait time.Duration
		want int
	}{
		{0, 0}, {time.Nanosecond, 1}, {300 * time.Millisecond, 1}, {time.Second, 1},
		{time.Second + time.Millisecond, 2}, {time.Minute, 60},
	} {
		if got := Seconds(tt.wait); got != tt.want {
			t.Errorf("Seconds(%v) = %d, want %d", tt.wait, got, tt.want)
		}
	}
}
