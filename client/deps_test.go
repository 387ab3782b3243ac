package client_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// forbidden are packages the SDK must never pull in: the server side, SQL
// drivers, the CLI framework, HTML templates and the OIDC provider library
// (DESIGN.md "Dependencies"; tailscale's deps_test.go is the model).
var forbidden = []string{
	"github.com/hubauth/hubauth/internal/",
	"modernc.org/",
	"github.com/jackc/pgx",
	"github.com/lib/pq",
	"github.com/mattn/go-sqlite3",
	"github.com/spf13/cobra",
	"html/template",
	"github.com/zitadel/oidc/v3/pkg/op",
}

// allowedModules are the only third-party modules the SDK may use.
var allowedModules = []string{
	"golang.org/x/oauth2",
	"golang.org/x/sys",
	"github.com/go-jose/go-jose/v4",
	"github.com/coreos/go-oidc/v3",
	"github.com/gofrs/flock",
	"github.com/google/renameio/v2",
	"github.com/cli/browser",
	"github.com/hubauth/hubauth/client",
	"github.com/hubauth/hubauth/resource",
	// resource's API dashboard (Middleware.Dashboard): embedded Swagger UI
	// in a public package of the standard library only.
	"github.com/hubauth/hubauth/web/swaggerui",
}

// TestSDKStaysLight lists what the public packages import, all the way
// down, and fails on anything from the server side or beyond the light
// set.
func TestSDKStaysLight(t *testing.T) {
	pkgs := []string{"."}
	if _, err := os.Stat(filepath.Join("..", "resource")); err == nil {
		pkgs = append(pkgs, "../resource")
	}
	out, err := exec.Command("go", append([]string{"list", "-deps"}, pkgs...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps %v: %v\n%s", pkgs, err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range forbidden {
			if strings.HasPrefix(dep, bad) {
				t.Errorf("%v imports %s: the SDK must not depend on %s", pkgs, dep, bad)
			}
		}
		if isThirdParty(dep) && !allowed(dep) {
			t.Errorf("%v imports %s, which is not in the SDK's light set", pkgs, dep)
		}
	}
}

// isThirdParty reports whether an import path is outside the standard
// library (whose paths have no dot in their first element).
func isThirdParty(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return strings.Contains(first, ".") && !strings.HasPrefix(path, "vendor/")
}

func allowed(path string) bool {
	for _, m := range allowedModules {
		if path == m || strings.HasPrefix(path, m+"/") {
			return true
		}
	}
	return false
}
