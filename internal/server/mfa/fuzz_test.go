package mfa_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hubauth/hubauth/internal/server/mfa"
)

// FuzzCheckPasskeyName: a name passes only as valid text of 1 to 64
// characters without control characters, and passes unchanged. (The
// browser's answers are parsed by go-webauthn, which fuzzes its parsers;
// the service's handling of them is tested with tampered answers.)
func FuzzCheckPasskeyName(f *testing.F) {
	for _, s := range []string{"laptop", "", "a\x00b", strings.Repeat("é", 64), strings.Repeat("é", 65), "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := mfa.CheckPasskeyName(s)
		if err != nil {
			return
		}
		if got != s || !utf8.ValidString(s) || s == "" || utf8.RuneCountInString(s) > mfa.MaxPasskeyName ||
			strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
			t.Errorf("CheckPasskeyName(%q) = %q, nil", s, got)
		}
	})
}
