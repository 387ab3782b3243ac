// Package names holds the one rule for the names people and programs give
// things in hubauth (usernames, display names, group names, client IDs and
// names, personal token names, session labels) and the one escaping the
// CLI applies to every server- or user-supplied text it prints.
//
// A name holds no control character, so it cannot drive the terminal of
// whoever lists it (an OSC 52 sequence writes the clipboard, others move
// the cursor or rewrite lines) nor forge a line of a listing. Text stored
// before the rule, typed at a login prompt, or sent by other software is
// printed through Escape.
package names

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxID is the longest identifier, in characters.
const MaxID = 64

// idRule is what identifiers (usernames, group names, client IDs) are made
// of: they appear in URLs, commands and audit lines unquoted.
var idRule = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,64}$`)

// CheckID checks an identifier: a username, group name or client ID of 1 to
// MaxID characters from A-Z, a-z, 0-9 and . _ @ -. kind names it in the
// message ("username").
func CheckID(kind, s string) error {
	if !idRule.MatchString(s) {
		return fmt.Errorf("invalid %s %q: use 1 to %d characters from A-Z, a-z, 0-9 and . _ @ -", kind, s, MaxID)
	}
	return nil
}

// CheckText checks a name in free text (a display name, a client's name, a
// personal token's or session's name): valid UTF-8 without an Unsafe
// character. Lengths and spaces are the caller's rule. kind names it in the
// message ("name"), which never repeats the refused text.
func CheckText(kind, s string) error {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, Unsafe) {
		return fmt.Errorf("%s must not contain control characters (tab, newline, escape, …) or invalid UTF-8", kind)
	}
	return nil
}

// Unsafe reports whether r may not appear in a name, nor reach a terminal
// as is: a control character (C0, DEL, C1: ESC and CSI start terminal
// escape sequences), a bidirectional formatting character (which reorders
// what the reader sees) or a line or paragraph separator.
func Unsafe(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Bidi_Control, unicode.Zl, unicode.Zp)
}
