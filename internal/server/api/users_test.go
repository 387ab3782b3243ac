package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMe(t *testing.T) {
	f := newFixture(t)
	personal, _ := f.personalToken(t, "u-root", "mine")
	for _, tc := range []struct {
		name, token string
		want        map[string]any
	}{
		{"openid only", f.accessToken(t, "u-ada", "app", "openid", ""), map[string]any{"id": "u-ada"}},
		{"profile email groups", f.accessToken(t, "u-ada", "app", "openid profile email groups", ""), map[string]any{
			"id": "u-ada", "username": "ada", "name": "Ada Lovelace", "email": "ada@example.org", "groups": []any{"physics"}}},
		{"first-party client sees all", f.accessToken(t, "u-ada", "cli", "openid", "s-ada"), map[string]any{
			"id": "u-ada", "username": "ada", "name": "Ada Lovelace", "email": "ada@example.org", "groups": []any{"physics"}}},
		{"third-party client never sees is_admin", f.accessToken(t, "u-root", "app", "openid profile", ""), map[string]any{
			"id": "u-root", "username": "root"}},
		{"personal token shows is_admin", personal, map[string]any{
			"id": "u-root", "username": "root", "email": "root@example.org", "is_admin": true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := f.do(t, "GET", "/api/v1/users/me", tc.token, "")
			if diff := cmp.Diff(tc.want, a.Body); a.Status != http.StatusOK || diff != "" {
				t.Errorf("me = %d, (-want +got):\n%s", a.Status, diff)
			}
		})
	}
}

func TestUsers(t *testing.T) {
	f := newFixture(t)
	ada, _ := f.personalToken(t, "u-ada", "lookup", "users:read")
	root, _ := f.personalToken(t, "u-root", "lookup", "users:read")
	for _, tc := range []struct {
		name, token, query string
		want               []map[string]any
	}{
		{"by id and username, unknown left out, no duplicates", ada, "id=u-bob&id=u-none&username=bob&username=ada", []map[string]any{
			{"id": "u-bob", "username": "bob", "name": "Bob"},
			{"id": "u-ada", "username": "ada", "name": "Ada Lovelace", "email": "ada@example.org"}}},
		{"emails to admins", root, "username=bob", []map[string]any{
			{"id": "u-bob", "username": "bob", "name": "Bob", "email": "bob@example.org"}}},
		{"nobody found", ada, "id=u-none", []map[string]any{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := f.do(t, "GET", "/api/v1/users?"+tc.query, tc.token, "")
			if diff := cmp.Diff(tc.want, a.data(t)); a.Status != http.StatusOK || diff != "" {
				t.Errorf("users = %d, (-want +got):\n%s", a.Status, diff)
			}
		})
	}
	tooMany := url.Values{"id": strings.Split(strings.Repeat("u-x,", 101), ",")[:101]}
	for _, query := range []string{"", tooMany.Encode()} {
		if a := f.do(t, "GET", "/api/v1/users?"+query, ada, ""); a.Status != http.StatusUnprocessableEntity {
			t.Errorf("users?%.20s… = %d %v, want 422", query, a.Status, a.Body)
		}
	}
}

func TestGroups(t *testing.T) {
	f := newFixture(t)
	ada, _ := f.personalToken(t, "u-ada", "groups", "groups:read")
	root, _ := f.personalToken(t, "u-root", "groups", "groups:read")
	if got := field(f.do(t, "GET", "/api/v1/groups", ada, "").data(t), "name"); !cmp.Equal(got, []string{"physics"}) {
		t.Errorf("ada's groups = %v, want [physics]", got)
	}
	if items := f.do(t, "GET", "/api/v1/groups", root, "").data(t); len(items) != 0 {
		t.Errorf("root's groups = %v, want none", items)
	}
	for _, tc := range []struct {
		name, token, group string
		status             int
		members            []string
	}{
		{"member", ada, "physics", http.StatusOK, []string{"ada", "bob"}},
		{"someone else's group", ada, "chemistry", http.StatusNotFound, nil},
		{"unknown group", ada, "biology", http.StatusNotFound, nil},
		{"admin, any group", root, "chemistry", http.StatusOK, []string{"bob"}},
		{"admin, unknown group", root, "biology", http.StatusNotFound, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := f.do(t, "GET", "/api/v1/groups/"+tc.group+"/members", tc.token, "")
			if a.Status != tc.status {
				t.Fatalf("members of %s = %d %v, want %d", tc.group, a.Status, a.Body, tc.status)
			}
			if tc.status != http.StatusOK {
				if a.Body["error"] != "not_found" {
					t.Errorf("error = %v, want not_found", a.Body["error"])
				}
				return
			}
			if got := field(a.data(t), "username"); !cmp.Equal(got, tc.members) {
				t.Errorf("members = %v, want %v", got, tc.members)
			}
		})
	}
}
