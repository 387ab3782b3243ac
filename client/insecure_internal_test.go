package client

import (
	"net/url"
	"testing"
)

func TestInsecure(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"https://hub.example.org", false},
		{"http://hub.example.org", true},
		{"http://10.0.0.7:8080", true},
		{"http://127.0.0.1:8080", false},
		{"http://127.1.2.3", false},
		{"http://[::1]:8080", false},
		{"http://[::ffff:127.0.0.1]:8080", false},
		{"http://localhost:8080", false},
		{"http://LOCALHOST", false},
		{"http://localhost.example.org", true},
		{"http://127.0.0.1.example.org", true},
		{"HTTP://hub.example.org", true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if got := insecure(u); got != tt.want {
				t.Errorf("insecure(%s) = %t, want %t", tt.url, got, tt.want)
			}
		})
	}
}
