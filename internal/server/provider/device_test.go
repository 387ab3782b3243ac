package provider

import (
	"strings"
	"testing"
)

func TestNormalizeUserCode(t *testing.T) {
	tests := []struct {
		typed, want string
		ok          bool
	}{
		{"BCDF-GHJK", "BCDFGHJK", true},
		{"bcdf-ghjk", "BCDFGHJK", true},
		{"bcdfghjk", "BCDFGHJK", true},
		{" BCDF GHJK ", "BCDFGHJK", true},
		{"BCDF-GHJ", "", false},   // too short
		{"BCDF-GHJKL", "", false}, // too long
		{"ABCD-EFGH", "", false},  // vowels are not in the alphabet
		{"BCDF-GHJ1", "", false},  // digits neither
		{"", "", false},
		{strings.Repeat("B", 40), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			got, ok := NormalizeUserCode(tt.typed)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Fatalf("NormalizeUserCode(%q) = %q, %v; want %q, %v", tt.typed, got, ok, tt.want, tt.ok)
			}
			if ok && FormatUserCode(got) != got[:4]+"-"+got[4:] {
				t.Fatalf("FormatUserCode(%q) = %q", got, FormatUserCode(got))
			}
		})
	}
}

func FuzzNormalizeUserCode(f *testing.F) {
	for _, s := range []string{"BCDF-GHJK", "bcdfghjk", "", "----", "ẞẞẞẞ-ẞẞẞẞ", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		code, ok := NormalizeUserCode(typed)
		if !ok {
			return
		}
		if len(code) != 8 || strings.Trim(code, UserCodeAlphabet) != "" {
			t.Fatalf("NormalizeUserCode(%q) accepted %q", typed, code)
		}
		if again, ok := NormalizeUserCode(FormatUserCode(code)); !ok || again != code {
			t.Fatalf("formatted code %q does not normalize back", FormatUserCode(code))
		}
	})
}
