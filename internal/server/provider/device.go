package provider

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
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

// StoreDeviceAuthorization stores a new device authorization (RFC 8628 §3.2)
// without a session label; the hub's /device (Server.DeviceAuthorization)
// stores it with its token_name.
func (s *Storage) StoreDeviceAuthorization(ctx context.Context, clientID, deviceCode, userCode string, expires time.Time, scopes []string) error {
	return s.saveDevice(ctx, storage.DeviceAuth{DeviceCodeHash: secret.Hash(deviceCode), UserCode: userCode,
		ClientID: clientID, Scopes: scopes, ExpiresAt: expires})
}

// saveDevice stores d pending, created now, with its user code normalized.
func (s *Storage) saveDevice(ctx context.Context, d storage.DeviceAuth) error {
	d.UserCode, _ = NormalizeUserCode(d.UserCode)
	d.State, d.CreatedAt, d.ExpiresAt = storage.DevicePending, s.now(), d.ExpiresAt.UTC()
	err := s.store.CreateDeviceAuth(ctx, d)
	if errors.Is(err, storage.ErrAlreadyExists) {
		return op.ErrDuplicateUserCode
	}
	return err
}

// userCodeTries bounds the new user codes drawn when one collides with a
// pending code.
const userCodeTries = 3

// startDevice mints the device authorization d asks for (its client,
// scopes and session label; RFC 8628 §3.2): a device code of secret.Size
// random bytes (the library's have 16) and a user code, expiring by the
// hub's clock.
func (s *server) startDevice(ctx context.Context, d storage.DeviceAuth) (*oidc.DeviceAuthorizationResponse, error) {
	cfg := s.Provider().DeviceAuthorization()
	deviceCode := secret.New()
	d.DeviceCodeHash = secret.Hash(deviceCode)
	userCode, err := s.storeDevice(ctx, cfg, d)
	if err != nil {
		return nil, err
	}
	verification, err := url.Parse(op.IssuerFromContext(ctx))
	if err != nil {
		return nil, err
	}
	verification.Path = cfg.UserFormPath
	resp := &oidc.DeviceAuthorizationResponse{
		DeviceCode: deviceCode, UserCode: userCode, VerificationURI: verification.String(),
		ExpiresIn: int(cfg.Lifetime / time.Second), Interval: int(cfg.PollInterval / time.Second),
	}
	verification.RawQuery = url.Values{"user_code": {userCode}}.Encode()
	resp.VerificationURIComplete = verification.String()
	return resp, nil
}

// storeDevice stores the new device authorization d under a fresh user
// code, drawing again when it collides with a pending one.
func (s *server) storeDevice(ctx context.Context, cfg op.DeviceAuthorizationConfig, d storage.DeviceAuth) (string, error) {
	for try := 1; ; try++ {
		userCode, err := op.NewUserCode([]rune(cfg.UserCode.CharSet), cfg.UserCode.CharAmount, cfg.UserCode.DashInterval)
		if err != nil {
			return "", err
		}
		d.UserCode, d.ExpiresAt = userCode, s.storage.now().Add(cfg.Lifetime)
		err = s.storage.saveDevice(ctx, d)
		if err == nil || !errors.Is(err, op.ErrDuplicateUserCode) || try == userCodeTries {
			return userCode, err
		}
	}
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
