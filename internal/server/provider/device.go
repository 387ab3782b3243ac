package provider

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

// UserCodeAlphabet is the set of user code letters: no vowels (no words) and
// no letters easily confused (RFC 8628 §6.1).
const UserCodeAlphabet = op.CharSetBase20

// NormalizeUserCode turns what a user typed into the stored form: upper
// case, dashes and spaces removed. It reports false when the result cannot
// be a user code, so malformed input never reaches the database.
func NormalizeUserCode(typed string) (string, bool) {
	if len(typed) > 32 {
		return "", false
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(typed) {
		switch {
		case r == '-' || r == ' ':
		case strings.ContainsRune(UserCodeAlphabet, r):
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	code := b.String()
	return code, len(code) == 8
}

// FormatUserCode writes a normalized code as XXXX-XXXX.
func FormatUserCode(code string) string {
	if len(code) != 8 {
		return code
	}
	return code[:4] + "-" + code[4:]
}

// StoreDeviceAuthorization stores a new device authorization (RFC 8628 §3.2).
func (s *Storage) StoreDeviceAuthorization(ctx context.Context, clientID, deviceCode, userCode string, expires time.Time, scopes []string) error {
	code, _ := NormalizeUserCode(userCode)
	err := s.store.CreateDeviceAuth(ctx, storage.DeviceAuth{
		DeviceCodeHash: secret.Hash(deviceCode),
		UserCode:       code,
		ClientID:       clientID,
		Scopes:         scopes,
		State:          storage.DevicePending,
		SessionName:    sessionName(ctx),
		CreatedAt:      s.now(),
		ExpiresAt:      expires.UTC(),
	})
	if errors.Is(err, storage.ErrAlreadyExists) {
		return op.ErrDuplicateUserCode
	}
	return err
}

// GetDeviceAuthorizatonState reports a device authorization's state without
// changing it. The token endpoint (Server.DeviceToken) consumes approvals.
func (s *Storage) GetDeviceAuthorizatonState(ctx context.Context, clientID, deviceCode string) (*op.DeviceAuthorizationState, error) {
	d, err := s.store.GetDeviceAuthByDeviceCode(ctx, secret.Hash(deviceCode))
	if err != nil {
		return nil, err
	}
	if d.ClientID != clientID {
		return nil, storage.ErrNotFound
	}
	return deviceState(d), nil
}

func deviceState(d storage.DeviceAuth) *op.DeviceAuthorizationState {
	return &op.DeviceAuthorizationState{
		ClientID: d.ClientID,
		Scopes:   d.Scopes,
		Expires:  d.ExpiresAt,
		Done:     d.State == storage.DeviceApproved,
		Denied:   d.State == storage.DeviceDenied,
		Subject:  d.UserID,
		AMR:      d.AMR,
		AuthTime: d.AuthTime,
	}
}
