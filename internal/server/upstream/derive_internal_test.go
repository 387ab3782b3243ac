package upstream

import (
	"testing"

	"github.com/hubauth/hubauth/internal/secret"
)

// TestDerive: the three values of a sign-in differ from each other and
// from another browser's, and the verifier has RFC 7636's form.
func TestDerive(t *testing.T) {
	k := secret.New()
	d, again, other := derive(k), derive(k), derive(secret.New())
	if d != again {
		t.Fatal("derive is not deterministic")
	}
	seen := map[string]bool{}
	for _, v := range []string{d.state, d.nonce, d.verifier, other.state, other.nonce, other.verifier, k} {
		if seen[v] {
			t.Fatalf("value %q derived twice", v)
		}
		seen[v] = true
	}
	if len(d.verifier) < 43 || len(d.verifier) > 128 {
		t.Fatalf("verifier length %d outside RFC 7636 §4.1's 43–128", len(d.verifier))
	}
	if name := New(Config{}).cookieName(secret.Hash(d.state)); len(name) != len(cookiePrefix)+16 {
		t.Fatalf("cookie name %q", name)
	}
}
