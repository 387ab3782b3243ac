package storagetest

import (
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

var apiTests = []subtest{
	{"APICRUD", testAPICRUD},
	{"APIRefusedLeavesNothing", testAPIRefused},
	{"APIScopeRemoved", testAPIScopeRemoved},
}

// newAPI is an API with every field set, owning scopes.
func newAPI(id, uri string, created time.Time, scopes ...string) storage.API {
	return storage.API{ID: id, URI: uri, Name: "The " + id + " API", Scopes: scopes, CreatedAt: created}
}

// registerScopes registers each name as a scope.
func registerScopes(t *testing.T, s storage.Storage, names ...string) {
	t.Helper()
	for _, n := range names {
		must(t, "CreateScope", s.CreateScope(t.Context(), newScope(n, at(0))))
	}
}

func testAPICRUD(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	registerScopes(t, s, "uploads:write", "uploads:read", "jobs:run")
	data := newAPI("datahub", "https://data.example.org", at(time.Minute), "uploads:read", "uploads:write")
	jobs := newAPI("compute", "https://compute.example.org/api", at(2*time.Minute), "jobs:run")
	bare := newAPI("Archive", "https://archive.example.org", at(3*time.Minute))
	for _, a := range []storage.API{data, jobs, bare} {
		must(t, "CreateAPI", s.CreateAPI(ctx, a))
	}
	got, err := s.GetAPI(ctx, "datahub")
	checkErr(t, "GetAPI", err, nil)
	diff(t, "GetAPI", got, data)
	_, err = s.GetAPI(ctx, "none")
	checkErr(t, "GetAPI(unknown)", err, storage.ErrNotFound)

	list, err := s.ListAPIs(ctx)
	checkErr(t, "ListAPIs", err, nil)
	diff(t, "ListAPIs (bytewise by id, scopes sorted)", list, []storage.API{bare, jobs, data})

	checkErr(t, "DeleteAPI", s.DeleteAPI(ctx, "datahub"), nil)
	checkErr(t, "DeleteAPI(again)", s.DeleteAPI(ctx, "datahub"), storage.ErrNotFound)
	scopes, err := s.ListScopes(ctx)
	checkErr(t, "ListScopes", err, nil)
	if len(scopes) != 3 {
		t.Errorf("ListScopes after DeleteAPI: %d scopes, want the 3 registered (an API's removal keeps them)", len(scopes))
	}
	// Its scopes and URI are free again.
	again := newAPI("datahub2", "https://data.example.org", at(time.Hour), "uploads:write")
	must(t, "CreateAPI(freed scope and URI)", s.CreateAPI(ctx, again))
	got, err = s.GetAPI(ctx, "datahub2")
	checkErr(t, "GetAPI", err, nil)
	diff(t, "GetAPI(re-created)", got, again)
}

// testAPIRefused: a refused API (taken id, URI or scope, unknown scope)
// leaves nothing stored.
func testAPIRefused(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	registerScopes(t, s, "uploads:read", "uploads:write")
	data := newAPI("datahub", "https://data.example.org", at(0), "uploads:read")
	must(t, "CreateAPI", s.CreateAPI(ctx, data))
	tests := []struct {
		name string
		api  storage.API
		want error
	}{
		{"taken id", newAPI("datahub", "https://other.example.org", at(time.Second), "uploads:write"), storage.ErrAlreadyExists},
		{"taken URI", newAPI("other", "https://data.example.org", at(time.Second), "uploads:write"), storage.ErrAlreadyExists},
		{"scope of another API", newAPI("other", "https://other.example.org", at(time.Second), "uploads:write", "uploads:read"), storage.ErrAlreadyExists},
		{"unregistered scope", newAPI("other", "https://other.example.org", at(time.Second), "uploads:write", "nope"), storage.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, "CreateAPI", s.CreateAPI(ctx, tt.api), tt.want)
			list, err := s.ListAPIs(ctx)
			checkErr(t, "ListAPIs", err, nil)
			diff(t, "ListAPIs after a refused CreateAPI", list, []storage.API{data})
		})
	}
}

// testAPIScopeRemoved: deleting a scope ends its ownership.
func testAPIScopeRemoved(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	registerScopes(t, s, "uploads:read", "uploads:write")
	data := newAPI("datahub", "https://data.example.org", at(0), "uploads:read", "uploads:write")
	must(t, "CreateAPI", s.CreateAPI(ctx, data))
	must(t, "DeleteScope", s.DeleteScope(ctx, "uploads:read"))
	got, err := s.GetAPI(ctx, "datahub")
	checkErr(t, "GetAPI", err, nil)
	data.Scopes = []string{"uploads:write"}
	diff(t, "GetAPI after its scope's removal", got, data)
}
