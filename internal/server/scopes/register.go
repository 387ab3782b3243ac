package scopes

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxDescription bounds a registered scope's description, in characters.
const MaxDescription = 200

// nameRule is what a registered scope's name is made of: a subset of the
// scope-token characters of RFC 6749 §3.3 without the comma, which the CLI
// and the SDK use to separate scopes, and without quotes or backslashes.
var nameRule = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9:._/-]{0,63}$`)

// CheckNew validates a scope an operator registers: a name of 1 to 64
// characters from nameRule that is not built in or reserved, and a
// description of 1 to MaxDescription printable characters (no control or
// format characters, no spaces but U+0020) without surrounding spaces (the
// consent page shows it).
func CheckNew(name, description string) error {
	if !nameRule.MatchString(name) {
		return fmt.Errorf("invalid scope name %q: use 1 to 64 characters from A-Z, a-z, 0-9 and : . _ / -, starting with a letter or digit", name)
	}
	if IsBuiltin(name) || slices.Contains(reserved, name) {
		return fmt.Errorf("scope %q is built into the hub or reserved by OpenID Connect", name)
	}
	n := utf8.RuneCountInString(description)
	switch {
	case n == 0 || n > MaxDescription || strings.TrimSpace(description) != description:
		return fmt.Errorf("the description must be 1 to %d characters without surrounding spaces", MaxDescription)
	case !utf8.ValidString(description) || strings.ContainsFunc(description, func(r rune) bool { return !unicode.IsPrint(r) }):
		return errors.New("the description must be printable text on one line")
	}
	return nil
}
