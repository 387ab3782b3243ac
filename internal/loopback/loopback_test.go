package loopback

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		uri             string
		ok, isLocalhost bool
	}{
		{"http://127.0.0.1/cb", true, false},
		{"http://127.0.0.1:5000/cb?x=1", true, false},
		{"http://[::1]:5000/cb", true, false},
		{"HTTP://127.0.0.1/cb", true, false},
		{"http://localhost/cb", true, true},
		{"http://LocalHost/cb", true, true},
		{"http://LOCALHOST:5000/cb", true, true},
		{"http://127.0.0.1:65535/cb", true, false},
		{"http://127.0.0.1:0/cb", false, false},
		{"http://127.0.0.1:99999/cb", false, false},
		{"https://127.0.0.1/cb", false, false},
		{"https://localhost/cb", false, false},
		{"ftp://127.0.0.1/cb", false, false},
		{"http://127.0.0.2/cb", false, false},
		{"http://[::2]/cb", false, false},
		{"http://[::ffff:127.0.0.1]/cb", false, false},
		{"http://localhost.example.org/cb", false, false},
		{"http://localhost./cb", false, false},
		{"http://app.example.org/cb", false, false},
		{"http://u@127.0.0.1/cb", false, false},
		{"http://127.0.0.1/cb#x", false, false},
		{"http:127.0.0.1", false, false},
		{"http://127.0.0.1/%zz", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			u, ok := Parse(tt.uri)
			if ok != tt.ok {
				t.Fatalf("Parse(%q) ok = %v, want %v", tt.uri, ok, tt.ok)
			}
			if ok && Localhost(u.Hostname()) != tt.isLocalhost {
				t.Errorf("Localhost(%q) = %v, want %v", u.Hostname(), !tt.isLocalhost, tt.isLocalhost)
			}
		})
	}
}

func TestHost(t *testing.T) {
	tests := map[string]bool{
		"127.0.0.1": true, "127.0.0.2": true, "::1": true, "localhost": true, "LocalHost": true,
		"10.0.0.1": false, "localhost.": false, "example.org": false, "": false,
	}
	for host, want := range tests {
		if got := Host(host); got != want {
			t.Errorf("Host(%q) = %v, want %v", host, got, want)
		}
	}
}
