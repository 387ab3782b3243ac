package names

import (
	"slices"
	"testing"
)

func TestDedupe(t *testing.T) {
	for _, tt := range []struct {
		name    string
		in, out []string
	}{
		{"none", nil, nil},
		{"distinct", []string{"b", "a"}, []string{"b", "a"}},
		{"repeated, first kept in place", []string{"a", "b", "a", "c", "b"}, []string{"a", "b", "c"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Dedupe(tt.in); !slices.Equal(got, tt.out) {
				t.Errorf("Dedupe(%q) = %q, want %q", tt.in, got, tt.out)
			}
		})
	}
}
