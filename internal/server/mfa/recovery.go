package mfa

import (
	"crypto/rand"
	"strings"

	"github.com/hubauth/hubauth/internal/secret"
)

// RecoveryCodes is how many recovery codes a user gets at a time.
const RecoveryCodes = 10

// recoveryAlphabet spells recovery codes: 32 letters and digits, 5 bits
// each, 10 per code (50 bits), shown as two groups of five.
const recoveryAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

const recoveryLen = 10

// newRecoveryCodes returns n fresh codes as shown ("xxxxx-xxxxx") and
// their hashes as stored.
func newRecoveryCodes(n int) (codes, hashes []string) {
	for range n {
		b := make([]byte, recoveryLen)
		rand.Read(b) // never fails (crypto/rand)
		for i := range b {
			b[i] = recoveryAlphabet[b[i]%32]
		}
		c := string(b)
		codes = append(codes, c[:5]+"-"+c[5:])
		hashes = append(hashes, recoveryHash(c))
	}
	return codes, hashes
}

// recoveryHash is the stored form of a normalized recovery code.
func recoveryHash(code string) string { return secret.Hash("recovery:" + code) }

// normalizeRecovery reads a recovery code as typed: case, spaces and the
// dash do not matter. ok is false when it cannot be a recovery code.
func normalizeRecovery(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToLower(s))
	if len(s) != recoveryLen || strings.Trim(s, recoveryAlphabet) != "" {
		return "", false
	}
	return s, true
}
