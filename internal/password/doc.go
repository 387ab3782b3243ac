// Package password hashes and verifies user passwords with argon2id
// (RFC 9106) on a bounded worker pool.
//
// Hashes are stored in the PHC string format
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// with salt and hash in unpadded standard base64. The cost parameters are read
// back from each stored hash, so hashes written under older parameters keep
// verifying after DefaultParams change; NeedsRehash tells the caller when to
// store a fresh hash after a successful login.
//
// Argon2id is deliberately expensive in CPU and memory. A Hasher runs it on a
// fixed number of workers (about one per core) with a short bounded queue in
// front of them. When the workers are busy and the queue is full, Hash and
// Verify fail at once with ErrBusy instead of piling up goroutines and
// memory: a flood of logins slows down logins, never the other endpoints.
// Servers turn ErrBusy into 503 (or 429) with a Retry-After header.
//
// Neither passwords nor hashes ever appear in the errors of this package.
package password
