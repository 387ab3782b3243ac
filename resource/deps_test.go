package resource_test

import (
	"os/exec"
	"strings"
	"testing"
)

// forbidden are packages a data API must not pull in by importing
// resource: the server side, SQL drivers, the CLI framework, HTML
// templates and the OIDC provider library (DESIGN.md "Dependencies").
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

// allowedModules are the only third-party modules resource may use.
var allowedModules = []string{
	"golang.org/x/oauth2",
	"github.com/go-jose/go-jose/v4",
	"github.com/coreos/go-oidc/v3",
	"github.com/hubauth/hubauth/resource",
	// The API dashboard's embedded Swagger UI (Middleware.Dashboard): a
	// public package of the standard library only, which this test also
	// holds to the rules above through go list -deps.
	"github.com/hubauth/hubauth/web/swaggerui",
}

func TestResourceStaysLight(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range forbidden {
			if strings.HasPrefix(dep, bad) {
				t.Errorf("resource imports %s: it must not depend on %s", dep, bad)
			}
		}
		first, _, _ := strings.Cut(dep, "/")
		if strings.Contains(first, ".") && !strings.HasPrefix(dep, "vendor/") && !allowed(dep) {
			t.Errorf("resource imports %s, which is not in its light set", dep)
		}
	}
}

func allowed(path string) bool {
	for _, m := range allowedModules {
		if path == m || strings.HasPrefix(path, m+"/") {
			return true
		}
	}
	return false
}
