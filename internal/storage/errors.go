package storage

import "errors"

// Sentinel errors that callers branch on with errors.Is.
var (
	// ErrNotFound means the object does not exist (or is no longer usable:
	// expired, revoked or already consumed, where the method says so).
	ErrNotFound = errors.New("storage: not found")
	// ErrAlreadyExists means an object with the same unique key exists.
	ErrAlreadyExists = errors.New("storage: already exists")
	// ErrUnavailable means the database could not be reached; servers answer 503.
	ErrUnavailable = errors.New("storage: database unavailable")
)
