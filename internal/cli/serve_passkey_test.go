package cli

import (
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestServeDevLocalhostOffersPasskeys: serve --dev --issuer
// http://localhost:PORT serves passkeys (localhost is a secure context),
// while the default issuer, http://127.0.0.1:PORT, says why it cannot and
// names that command.
func TestServeDevLocalhostOffersPasskeys(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	for _, tt := range []struct {
		name, issuer, want string
	}{
		{"localhost", "http://localhost:" + port, "Sign in with a passkey"},
		{"IP address", "", "serve --issuer http://localhost:" + port},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newTestHub(t)
			_, opts, stop := startServe(t, h, func(o *ServeOptions) { o.Addr, o.Issuer = "127.0.0.1:"+port, tt.issuer })
			defer stop()
			base := opts.Issuer
			if tt.issuer != "" && base != tt.issuer {
				t.Fatalf("issuer = %q, want %q", base, tt.issuer)
			}
			resp, err := http.Get(base + "/login")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), tt.want) {
				t.Errorf("GET %s/login: %d, want %q in\n%s", base, resp.StatusCode, tt.want, body)
			}
		})
	}
}
