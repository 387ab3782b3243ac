package password

import (
	"errors"
	"strings"
	"testing"
)

// validHash is a hash of "correct horse" under TestParams.
const validHash = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$rAjuexKlLdAHLvqk7TeeiWZjW4OPoRGwldJXdHbTuKI"

// referenceHash is the argon2id test vector of the reference implementation
// (phc-winner-argon2 src/test.c): password "password", salt "somesalt".
const referenceHash = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"

func TestParseRejects(t *testing.T) {
	const salt, key = "c2FsdHNhbHRzYWx0c2FsdA", "rAjuexKlLdAHLvqk7TeeiWZjW4OPoRGwldJXdHbTuKI"
	tests := []struct {
		name, encoded string
	}{
		{"empty", ""},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{"version 16", "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key},
		{"no version", "$argon2id$m=64,t=1,p=1$" + salt + "$" + key},
		{"leading text", "x$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{"extra field", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "$"},
		{"params reordered", "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key},
		{"keyid param", "$argon2id$v=19$m=64,t=1,p=1,keyid=a$" + salt + "$" + key},
		{"negative", "$argon2id$v=19$m=-64,t=1,p=1$" + salt + "$" + key},
		{"plus sign", "$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + key},
		{"leading zero", "$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + key},
		{"memory over 1 GiB", "$argon2id$v=19$m=1048577,t=1,p=1$" + salt + "$" + key},
		{"memory overflows uint32", "$argon2id$v=19$m=4294967296,t=1,p=1$" + salt + "$" + key},
		{"memory under 8 KiB per lane", "$argon2id$v=19$m=15,t=2,p=2$" + salt + "$" + key},
		{"time zero", "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key},
		{"time huge", "$argon2id$v=19$m=64,t=100000,p=1$" + salt + "$" + key},
		{"threads zero", "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key},
		{"threads over uint8", "$argon2id$v=19$m=4096,t=1,p=256$" + salt + "$" + key},
		{"threads over limit", "$argon2id$v=19$m=4096,t=1,p=17$" + salt + "$" + key},
		{"salt padded", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key},
		{"salt not base64", "$argon2id$v=19$m=64,t=1,p=1$s@lt!s@lt!s@lt!$" + key},
		{"line break in salt", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNh\nbHRzYWx0c2FsdA$" + key},
		{"salt too short", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + key},
		{"key too short", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$QDNGBZ0CAGUC8SBP"},
		{"key empty", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$"},
		{"too long", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + strings.Repeat("A", 600)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(tt.encoded)
			if !errors.Is(err, ErrInvalidHash) {
				t.Fatalf("parse(%q) error = %v, want ErrInvalidHash", tt.encoded, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "password: ") {
				t.Errorf("error %q lacks the package prefix", msg)
			}
			for _, secret := range []string{salt, key} {
				if strings.Contains(msg, secret) {
					t.Errorf("error %q repeats part of the hash", msg)
				}
			}
		})
	}
}

func TestParseRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		encoded string
		want    Params
	}{
		{"test params", validHash, Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		{"reference vector", referenceHash, Params{Memory: 65536, Time: 2, Threads: 1, SaltLen: 8, KeyLen: 32}},
		{"four lanes", "$argon2id$v=19$m=4096,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
			Params{Memory: 4096, Time: 3, Threads: 4, SaltLen: 8, KeyLen: 24}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := parse(tt.encoded)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if d.params != tt.want {
				t.Errorf("params = %+v, want %+v", d.params, tt.want)
			}
			if got := encode(d.params, d.salt, d.key); got != tt.encoded {
				t.Errorf("encode(parse(s)) = %q, want %q", got, tt.encoded)
			}
		})
	}
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name string
		p    Params
		ok   bool
	}{
		{"default", DefaultParams, true},
		{"test", TestParams, true},
		{"RFC 9106 second choice", Params{Memory: 64 << 10, Time: 3, Threads: 4, SaltLen: 16, KeyLen: 32}, true},
		{"zero", Params{}, false},
		{"memory 1 GiB", Params{Memory: 1 << 20, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, true},
		{"memory above 1 GiB", Params{Memory: 1<<20 + 1, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, false},
		{"short salt", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32}, false},
		{"long key", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 4096}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if (err == nil) != tt.ok {
				t.Errorf("Validate(%+v) = %v, want ok %v", tt.p, err, tt.ok)
			}
		})
	}
}

// FuzzVerify feeds arbitrary stored hashes to the parser and, when they are
// cheap enough to try, to Verify: neither may panic, and every accepted hash
// has exactly one spelling.
func FuzzVerify(f *testing.F) {
	f.Add(validHash, "correct horse")
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$rAjuexKlLdAHLvqk7TeeiWZjW4OPoRGwldJXdHbTuKI", "x")
	f.Add("$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdA$c2FsdA", "")
	f.Add("$argon2id$$$$", "")
	f.Add("$", "")
	f.Add("$argon2id$v=19$m=10,t=1,p=1$00\r000000000$00000000000000000000000", "0") // base64 skips \r
	h := NewHasher(TestParams, 2, 64)
	f.Cleanup(h.Close)
	f.Fuzz(func(t *testing.T, encoded, password string) {
		d, err := parse(encoded)
		if err != nil {
			if !errors.Is(err, ErrInvalidHash) {
				t.Fatalf("parse error %v does not wrap ErrInvalidHash", err)
			}
			return
		}
		if got := encode(d.params, d.salt, d.key); got != encoded {
			t.Fatalf("encode(parse(%q)) = %q", encoded, got)
		}
		if d.params.Memory > 1024 || d.params.Time > 2 {
			return // valid but too slow to hash on every fuzz input
		}
		if _, err := h.Verify(t.Context(), encoded, password); err != nil {
			t.Fatalf("Verify of a parsed hash: %v", err)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := parse(validHash); err != nil {
			b.Fatal(err)
		}
	}
}
