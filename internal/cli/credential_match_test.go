package cli

import "testing"

func TestGitHostMatchesPath(t *testing.T) {
	const allowed = "https://git.example.org/team/data.git"
	for _, tt := range []struct {
		path string
		ok   bool
	}{
		{"team/data.git", true},
		{"/team/data.git/", true},
		{"team/data.git/info/refs", true},
		{"team/./data.git", true},
		{"team/data.git/../../evil/x.git", false},
		{"team/data.git/../other.git", false},
		{"team/data.git/..", false},
		{"team/data.gitx", false},
		{"../team/data.git", true}, // above the root is the root
		{"", false},
	} {
		t.Run(tt.path, func(t *testing.T) {
			req := map[string]string{"protocol": "https", "host": "git.example.org", "path": tt.path}
			if got := gitHostMatches(allowed, req); got != tt.ok {
				t.Errorf("gitHostMatches(%s, path %q) = %v, want %v", allowed, tt.path, got, tt.ok)
			}
		})
	}
	if !gitHostMatches("https://git.example.org/a/../b", map[string]string{"protocol": "https", "host": "git.example.org", "path": "b/x"}) {
		t.Error("a --host path with .. is not cleaned")
	}
}
