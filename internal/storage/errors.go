package storage

import "errors"

// Sentinel errors that callers branch on with errors.Is.
var (
	// ErrNotFound means the object does not exist (or is no longer usable:
	// expired, revoked or already consumed, where the method says so).
	ErrNotFound = errors.New("storage: not found")
	// ErrAlreadyExists means an object with the same unique key exists.
	ErrAlreadyExists = errors.New("storage: already exists")
	// ErrLastFactor means a second factor was not removed: it is the
	// user's last and the caller asked to keep one.
	ErrLastFactor = errors.New("storage: the user's last second factor")
	// ErrUnavailable means the database could not be reached; servers answer 503.
	ErrUnavailable = errors.New("storage: database unavailable")
)
