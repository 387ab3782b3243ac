package secret

import (
	"strings"
	"testing"
)

func TestSecretsAreDistinctAndWellFormed(t *testing.T) {
	tests := []struct {
		name   string
		gen    func() string
		length int
		alpha  string
	}{
		{"New", New, 43, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"},
		{"ID", ID, 22, base62},
		{"Base62", Base62, 43, base62},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := map[string]bool{}
			for range 100 {
				s := tt.gen()
				if len(s) != tt.length {
					t.Fatalf("len(%q) = %d, want %d", s, len(s), tt.length)
				}
				if strings.Trim(s, tt.alpha) != "" {
					t.Fatalf("%q has characters outside %q", s, tt.alpha)
				}
				if seen[s] {
					t.Fatalf("%q generated twice", s)
				}
				seen[s] = true
			}
		})
	}
}

func TestMatches(t *testing.T) {
	h := Hash("abc")
	if h != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("Hash(abc) = %s", h)
	}
	if !Matches("abc", h) || Matches("abd", h) || Matches("abc", "") {
		t.Fatal("Matches disagrees with Hash")
	}
}
