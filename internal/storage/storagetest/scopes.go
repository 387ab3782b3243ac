package storagetest

import (
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

var scopeTests = []subtest{
	{"ScopeCRUD", testScopeCRUD},
	{"ScopeListSortedBytewise", testScopeListSorted},
	{"ScopeListEmpty", testScopeListEmpty},
}

// newScope is a scope with every field set.
func newScope(name string, created time.Time) storage.Scope {
	return storage.Scope{Name: name, Description: "Lets a client use " + name, CreatedAt: created}
}

func testScopeCRUD(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	up, ds := newScope("uploads:write", at(time.Minute)), newScope("datasets:read", at(2*time.Minute))
	must(t, "CreateScope", s.CreateScope(ctx, up))
	must(t, "CreateScope", s.CreateScope(ctx, ds))

	dup := newScope("uploads:write", at(time.Hour))
	dup.Description = "something else"
	checkErr(t, "CreateScope(same name)", s.CreateScope(ctx, dup), storage.ErrAlreadyExists)
	list, err := s.ListScopes(ctx)
	checkErr(t, "ListScopes", err, nil)
	diff(t, "ListScopes after a refused duplicate (original unchanged)", list, []storage.Scope{ds, up})

	checkErr(t, "DeleteScope", s.DeleteScope(ctx, "uploads:write"), nil)
	list, err = s.ListScopes(ctx)
	checkErr(t, "ListScopes", err, nil)
	diff(t, "ListScopes after DeleteScope", list, []storage.Scope{ds})
	checkErr(t, "DeleteScope(again)", s.DeleteScope(ctx, "uploads:write"), storage.ErrNotFound)
	checkErr(t, "DeleteScope(unknown)", s.DeleteScope(ctx, "none"), storage.ErrNotFound)

	// A deleted name can be registered again.
	must(t, "CreateScope(deleted name)", s.CreateScope(ctx, dup))
	list, err = s.ListScopes(ctx)
	checkErr(t, "ListScopes", err, nil)
	diff(t, "ListScopes after re-creating a deleted name", list, []storage.Scope{ds, dup})
}

// testScopeListSorted checks that names sort by bytes, not by a locale's
// collation: upper case before lower case, ':' and '-' by their codes.
func testScopeListSorted(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	names := []string{"uploads:write", "Zeta", "datasets:read", "datasets-admin", "alpha", "Ärger"}
	want := []storage.Scope{}
	for i, name := range names {
		sc := newScope(name, at(time.Duration(i)*time.Second))
		must(t, "CreateScope", s.CreateScope(ctx, sc))
		want = append(want, sc)
	}
	// Bytewise: "Zeta" < "alpha" < "datasets-admin" < "datasets:read" <
	// "uploads:write" < "Ärger" (0xC3 0x84).
	want = []storage.Scope{want[1], want[4], want[3], want[2], want[0], want[5]}
	list, err := s.ListScopes(ctx)
	checkErr(t, "ListScopes", err, nil)
	diff(t, "ListScopes (bytewise by name)", list, want)
}

func testScopeListEmpty(t *testing.T, s storage.Storage) {
	list, err := s.ListScopes(t.Context())
	checkErr(t, "ListScopes(empty)", err, nil)
	diff(t, "ListScopes(empty)", list, []storage.Scope{})
}
