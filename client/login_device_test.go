package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
)

// deviceLogin runs LoginDevice on a fresh client of h; act is called in
// the background with the code the prompt showed.
func deviceLogin(t *testing.T, h *hub, ctx context.Context, act func(client.DeviceCode)) (*client.Client, error) {
	t.Helper()
	c := newClient(t, h, t.TempDir())
	prompts := 0
	err := c.LoginDevice(ctx, client.DeviceOptions{TokenName: "ci runner", Prompt: func(dc client.DeviceCode) {
		prompts++
		if dc.UserCode == "" || !strings.HasPrefix(dc.VerificationURI, h.URL) || !strings.Contains(dc.VerificationURIComplete, "user_code=") || dc.Expiry.IsZero() {
			t.Errorf("prompt = %+v", dc)
		}
		go act(dc)
	}})
	if prompts != 1 {
		t.Errorf("prompt called %d times, want once", prompts)
	}
	return c, err
}

func TestDeviceLogin(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	c, err := deviceLogin(t, h, context.Background(), func(dc client.DeviceCode) {
		if err := newWebBrowser(t, h).approveDevice(dc.UserCode, "approve"); err != nil {
			t.Error(err)
		}
	})
	if err != nil {
		t.Fatalf("LoginDevice: %v", err)
	}
	info, _ := c.Session()
	if info.Method != client.MethodDevice || info.Username != demoUser || !info.Refreshable {
		t.Fatalf("Session after device login = %+v", info)
	}
	if _, err := me(t, c, h); err != nil {
		t.Fatalf("request after device login: %v", err)
	}
}

func TestDeviceLoginEnds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		act  func(t *testing.T, h *hub, dc client.DeviceCode, cancel func())
		want error
	}{
		{"denied", func(t *testing.T, h *hub, dc client.DeviceCode, _ func()) {
			if err := newWebBrowser(t, h).approveDevice(dc.UserCode, "deny"); err != nil {
				t.Error(err)
			}
		}, client.ErrAccessDenied},
		{"expired", func(t *testing.T, h *hub, dc client.DeviceCode, _ func()) { h.Clock.Advance(11 * time.Minute) }, client.ErrExpiredCode},
		{"cancelled", func(t *testing.T, h *hub, dc client.DeviceCode, cancel func()) { cancel() }, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHub(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			start := time.Now()
			c, err := deviceLogin(t, h, ctx, func(dc client.DeviceCode) { tt.act(t, h, dc, cancel) })
			if !errors.Is(err, tt.want) {
				t.Fatalf("LoginDevice = %v, want %v", err, tt.want)
			}
			if tt.name == "cancelled" && time.Since(start) > 2*time.Second {
				t.Errorf("cancel took %v", time.Since(start))
			}
			if _, ok := c.Session(); ok {
				t.Fatal("a failed device login left a session")
			}
		})
	}
}

func TestDeviceLoginUnsupported(t *testing.T) {
	// A provider without device_authorization_endpoint: a hand-written
	// discovery document is enough for this refusal.
	var ts *httptest.Server
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": ts.URL, "authorization_endpoint": ts.URL + "/auth", "token_endpoint": ts.URL + "/token"})
	}))
	defer ts.Close()
	c, err := client.New(context.Background(), client.Config{Server: ts.URL, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	err = c.LoginDevice(context.Background(), client.DeviceOptions{Prompt: func(client.DeviceCode) { t.Error("prompted") }})
	if !errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), "device_authorization_endpoint") {
		t.Fatalf("LoginDevice = %v, want errors.ErrUnsupported naming device_authorization_endpoint", err)
	}
}
