package admincmd

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestClientAddFlags(t *testing.T) {
	var got *ClientAddOptions
	cmd := NewCmdClientAdd(&Factory{}, func(o *ClientAddOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"web", "--name", "Web", "--public", "--first-party",
		"--redirect-uri", "http://127.0.0.1/a", "--redirect-uri", "http://127.0.0.1/b,c",
		"--grant", "refresh_token", "--grant", "authorization_code"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	want := ClientAddOptions{ID: "web", Name: "Web", Public: true, FirstParty: true,
		RedirectURIs: []string{"http://127.0.0.1/a", "http://127.0.0.1/b,c"},
		GrantTypes:   []string{"refresh_token", "authorization_code"}}
	if diff := cmp.Diff(want, *got, cmpopts.IgnoreUnexported(ClientAddOptions{})); diff != "" {
		t.Errorf("options mismatch (-want +got):\n%s", diff)
	}
}
