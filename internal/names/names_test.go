package names

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckText(t *testing.T) {
	tests := []struct {
		name, s string
		wantErr string // "" for none
	}{
		{"empty", "", ""},
		{"plain", "ci runner", ""},
		{"letters of any script", "Ada Lovelace · ラボ · Ωmega", ""},
		{"spaces are the caller's rule", " ci ", ""},
		{"OSC 52", "ci\x1b]52;c;aGVsbG8=\x07", "control characters"},
		{"CSI", "ci\u009b2J", "control characters"},
		{"tab", "ci\trunner", "control characters"},
		{"newline", "ci\nrunner", "control characters"},
		{"DEL", "ci\x7f", "control characters"},
		{"right-to-left override", "ci\u202etxt.exe", "control characters"},
		{"line separator", "ci\u2028runner", "control characters"},
		{"invalid UTF-8", "ci\xff", "invalid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckText("name", tt.s)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("CheckText(%q) = %v, want nil", tt.s, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("CheckText(%q) = %v, want an error saying %q", tt.s, err, tt.wantErr)
			case err != nil && strings.ContainsFunc(err.Error(), Unsafe):
				t.Fatalf("the message repeats the refused text: %q", err)
			}
		})
	}
}

func TestCheckID(t *testing.T) {
	for _, s := range []string{"ada", "a.b_c@d-e", strings.Repeat("a", MaxID)} {
		if err := CheckID("username", s); err != nil {
			t.Errorf("CheckID(%q) = %v, want nil", s, err)
		}
	}
	for _, s := range []string{"", "a b", "ada\x1b[2J", "é", strings.Repeat("a", MaxID+1)} {
		err := CheckID("username", s)
		if err == nil || strings.ContainsFunc(err.Error(), Unsafe) {
			t.Errorf("CheckID(%q) = %v, want an error without the raw text", s, err)
		}
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain name", "plain name"},
		{`a\x1b stays`, `a\x1b stays`},
		{"Ωmega ラボ", "Ωmega ラボ"},
		{"\x1b]52;c;aGk=\x07", `\x1b]52;c;aGk=\x07`},
		{"a\tb\nc\rd", `a\tb\nc\rd`},
		{"\u009b2J", `\x9b2J`},
		{"\x7f", `\x7f`},
		{"evil\u202eexe.txt", `evil\u202eexe.txt`},
		{"bad\xffbyte", `bad\xffbyte`},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzEscape: whatever the input, the output is valid UTF-8 without an
// Unsafe character.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "ok", "\x1b]52;c;aGk=\x07", "\xc2\x9b", "\xe2\x80", "\u2029"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Escape(s)
		if !utf8.ValidString(got) || strings.ContainsFunc(got, Unsafe) {
			t.Fatalf("Escape(%q) = %q", s, got)
		}
	})
}
