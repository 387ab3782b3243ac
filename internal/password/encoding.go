package password

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrInvalidHash means a stored hash is not an argon2id PHC string this
// package accepts: malformed, another algorithm or version, or parameters
// outside the limits of Params.Validate. The wrapping error says which part is
// wrong without repeating the hash.
var ErrInvalidHash = errors.New("password: invalid hash")

// argon2Version is the only argon2 version written and accepted (0x13).
const argon2Version = 19

// maxEncodedLen bounds the input of parse before anything is decoded; the
// longest valid string (64-byte salt, 128-byte key, largest numbers) is about
// 310 bytes.
const maxEncodedLen = 512

// b64 is unpadded standard base64 as the PHC format requires; Strict rejects
// non-canonical trailing bits so that every hash has exactly one spelling.
var b64 = base64.RawStdEncoding.Strict()

// decoded is a parsed PHC string.
type decoded struct {
	params Params
	salt   []byte
	key    []byte
}

// encode formats a hash as a PHC string.
func encode(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// parse reads a PHC string written by encode. It accepts only the canonical
// form (parameters in the order m, t, p, decimal without leading zeros, no
// optional fields), so that encode(parse(s)) == s for every accepted s.
func parse(s string) (decoded, error) {
	if len(s) > maxEncodedLen {
		return decoded{}, fmt.Errorf("%w: longer than %d bytes", ErrInvalidHash, maxEncodedLen)
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return decoded{}, fmt.Errorf("%w: not a PHC string", ErrInvalidHash)
	}
	if parts[1] != "argon2id" {
		return decoded{}, fmt.Errorf("%w: algorithm is not argon2id", ErrInvalidHash)
	}
	if parts[2] != "v="+strconv.Itoa(argon2Version) {
		return decoded{}, fmt.Errorf("%w: unsupported argon2 version", ErrInvalidHash)
	}
	p, err := parseParams(parts[3])
	if err != nil {
		return decoded{}, err
	}
	salt, err := decodeBase64(parts[4])
	if err != nil {
		return decoded{}, fmt.Errorf("%w: salt is not unpadded base64", ErrInvalidHash)
	}
	key, err := decodeBase64(parts[5])
	if err != nil {
		return decoded{}, fmt.Errorf("%w: hash is not unpadded base64", ErrInvalidHash)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if err := p.Validate(); err != nil {
		return decoded{}, fmt.Errorf("%w: %w", ErrInvalidHash, err)
	}
	return decoded{params: p, salt: salt, key: key}, nil
}

// parseParams reads "m=<memory>,t=<time>,p=<threads>".
func parseParams(s string) (Params, error) {
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return Params{}, fmt.Errorf("%w: want parameters m, t and p", ErrInvalidHash)
	}
	var p Params
	for i, name := range []string{"m", "t", "p"} {
		value, ok := strings.CutPrefix(fields[i], name+"=")
		if !ok {
			return Params{}, fmt.Errorf("%w: want parameter %s in position %d", ErrInvalidHash, name, i+1)
		}
		bits := 32
		if name == "p" {
			bits = 8
		}
		n, err := parseDecimal(value, bits)
		if err != nil {
			return Params{}, fmt.Errorf("%w: parameter %s is not a %d-bit decimal", ErrInvalidHash, name, bits)
		}
		switch name {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			p.Threads = uint8(n)
		}
	}
	return p, nil
}

// decodeBase64 decodes unpadded standard base64. Unlike encoding/base64 it
// does not skip line breaks, which have no place in a PHC string.
func decodeBase64(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("password: line break in base64")
	}
	return b64.DecodeString(s)
}

// parseDecimal parses an unsigned decimal without sign or leading zeros.
func parseDecimal(s string, bits int) (uint64, error) {
	if len(s) > 1 && s[0] == '0' {
		return 0, errors.New("password: leading zero")
	}
	return strconv.ParseUint(s, 10, bits)
}
