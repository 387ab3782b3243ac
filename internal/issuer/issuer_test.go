package issuer

import (
	"errors"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, tt := range []struct {
		raw       string
		allowHTTP bool
		want      error
	}{
		{"https://auth.example.org", false, nil},
		{"https://auth.example.org/realms/lab", false, nil},
		{"http://127.0.0.1:8080", false, nil},
		{"http://[::1]:8080", false, nil},
		{"http://LocalHost:8080", false, nil},
		{"http://auth.example.org", false, ErrInsecure},
		{"http://auth.example.org", true, nil},
		{"", false, ErrMalformed},
		{"auth.example.org", false, ErrMalformed},
		{"ftp://auth.example.org", false, ErrMalformed},
		{"https://auth.example.org?x=1", false, ErrMalformed},
		{"https://auth.example.org#f", false, ErrMalformed},
		{"https://user:pw@auth.example.org", false, ErrMalformed},
		{"https://%zz", false, ErrMalformed},
	} {
		if got := Check(tt.raw, tt.allowHTTP); !errors.Is(got, tt.want) || (got == nil) != (tt.want == nil) {
			t.Errorf("Check(%q, %v) = %v, want %v", tt.raw, tt.allowHTTP, got, tt.want)
		}
	}
}
