package client

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestDataDir(t *testing.T) {
	home := func() (string, error) { return "/home/ada", nil }
	noHome := func() (string, error) { return "", errors.New("$HOME is not defined") }
	emptyHome := func() (string, error) { return "", nil }
	tests := []struct {
		name    string
		env     map[string]string
		goos    string
		home    func() (string, error)
		want    string
		wantErr string
	}{
		{name: "override", env: map[string]string{"HUBAUTH_DATA_DIR": "/srv/hub", "XDG_DATA_HOME": "/x"}, goos: "linux", home: noHome, want: "/srv/hub"},
		{name: "override on windows", env: map[string]string{"HUBAUTH_DATA_DIR": `D:\hub`, "LOCALAPPDATA": `C:\x`}, goos: "windows", home: noHome, want: `D:\hub`},
		{name: "linux default", goos: "linux", home: home, want: "/home/ada/.local/share/hubauth"},
		{name: "linux XDG", env: map[string]string{"XDG_DATA_HOME": "/data"}, goos: "linux", home: home, want: "/data/hubauth"},
		{name: "relative XDG ignored", env: map[string]string{"XDG_DATA_HOME": "data"}, goos: "linux", home: home, want: "/home/ada/.local/share/hubauth"},
		{name: "other unix", goos: "freebsd", home: home, want: "/home/ada/.local/share/hubauth"},
		{name: "macOS", env: map[string]string{"XDG_DATA_HOME": "/data"}, goos: "darwin", home: home, want: filepath.Join("/home/ada", "Library", "Application Support", "hubauth")},
		{name: "windows", env: map[string]string{"LOCALAPPDATA": `C:\Users\ada\AppData\Local`}, goos: "windows", home: home, want: filepath.Join(`C:\Users\ada\AppData\Local`, "hubauth")},
		{name: "windows without LOCALAPPDATA", goos: "windows", home: home, wantErr: "set HUBAUTH_DATA_DIR"},
		{name: "no home", goos: "linux", home: noHome, wantErr: "set HUBAUTH_DATA_DIR"},
		{name: "empty home", goos: "darwin", home: emptyHome, wantErr: "set HUBAUTH_DATA_DIR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DataDir(func(k string) string { return tt.env[k] }, tt.goos, tt.home)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "client: ") {
					t.Fatalf("DataDir() = %q, %v; want error \"client: …%s\"", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("DataDir() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
