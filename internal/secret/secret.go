// Package secret makes and hashes the hub's high-entropy secrets: refresh
// tokens, personal tokens, device codes, authorization codes, client secrets
// and session cookies. Only their SHA-256 is ever stored.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"math/big"
)

// Size is the number of random bytes in a generated secret.
const Size = 32

// New returns a random URL-safe secret of Size bytes.
func New() string {
	b := make([]byte, Size)
	rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ID returns a random 16-byte identifier for rows that are not secret
// (sessions, keys, tokens' public ids), as 22 letters and digits: users
// type these on command lines, where a leading "-" would read as a flag.
func ID() string { return encode62(randomBytes(16), 22) }

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Base62 returns Size random bytes written in base 62 (43 characters), for
// tokens that must survive copy and paste and secret scanners' patterns.
func Base62() string { return encode62(randomBytes(Size), 43) }

// encode62 writes b in base 62 with exactly digits characters (enough for
// len(b) bytes: 22 for 16, 43 for 32).
func encode62(b []byte, digits int) string {
	n := new(big.Int).SetBytes(b)
	out := make([]byte, 0, digits)
	base := big.NewInt(62)
	mod := new(big.Int)
	for range digits {
		n.DivMod(n, base, mod)
		out = append(out, base62[mod.Int64()])
	}
	return string(out)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// Hash returns the hex SHA-256 of a secret, the form in which it is stored.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Matches reports in constant time whether s hashes to storedHash.
func Matches(s, storedHash string) bool {
	return subtle.ConstantTimeCompare([]byte(Hash(s)), []byte(storedHash)) == 1
}
