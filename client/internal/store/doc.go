// Package store keeps the SDK's sessions in <data dir>/tokens.json. Only
// package client uses it: callers go through client.Client, which is the
// one writer of a session (its login, refresh and logout).
package store

import "errors"

var (
	// ErrInsecureFile is returned when the sessions file can be read or
	// written by users other than its owner. The file is not used until its
	// mode is fixed; the error says how (chmod 600 <file>).
	ErrInsecureFile = errors.New("client: insecure sessions file")

	// ErrCorruptStore is returned when the sessions file is not valid (for
	// example truncated). The file has then been moved aside, and the error
	// says where; the store starts again empty.
	ErrCorruptStore = errors.New("client: corrupt sessions file")
)
