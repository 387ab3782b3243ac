package throttle

import "time"

// Seconds is a wait in whole seconds, rounded up: the Retry-After value
// (RFC 9110 §10.2.3) and the number a message tells a person, so that
// neither says 0 while a wait remains.
func Seconds(wait time.Duration) int {
	return int((wait + time.Second - 1) / time.Second)
}
