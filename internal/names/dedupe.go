package names

import "slices"

// Dedupe returns the names of l, each once, in the order of their first
// appearance (nil for none): the one rule for lists of scopes, grants
// and URIs given on a command line or in a request.
func Dedupe(l []string) []string {
	var out []string
	for _, s := range l {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
