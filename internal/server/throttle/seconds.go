package throttle

import "time"

// Seconds is a wait in whole seconds, rounded up: the Retry-After value
// (RFC 9110 §10.2.3) and the number a message tells a person, so that
// neither says 0 while a wait remains.
func Seconds(wait time.Duration) int {
	return int((wait + time.Second - 1) / time.Second)
}

// Rounded is wait rounded up to whole seconds, as Seconds counts them, for
// a message ("1s", "2m0s").
func Rounded(wait time.Duration) time.Duration { return time.Duration(Seconds(wait)) * time.Second }
