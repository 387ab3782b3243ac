package mfa

import (
	"crypto/subtle"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// The authenticator apps' common settings (RFC 6238 defaults, which every
// app understands): SHA-1, 6 digits, 30-second steps; a code of the step
// before or after the current one is accepted too, for clocks a little off.
const (
	period = 30
	skew   = 1
	digits = otp.DigitsSix
)

// newSecret returns a fresh 160-bit base32 seed (RFC 4226 §4).
func newSecret(issuer, account string) (string, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, SecretSize: 20})
	if err != nil {
		return "", fmt.Errorf("mfa: new secret: %w", err)
	}
	return k.Secret(), nil
}

// KeyURL returns the otpauth:// URL an authenticator app reads from the QR
// code: the seed, the hub's name and the account.
func KeyURL(issuer, account, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", "6")
	v.Set("period", "30")
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: v.Encode()}
	return u.String()
}

// Key returns the pquerna/otp key of KeyURL, which draws the QR code.
func Key(issuer, account, secret string) (*otp.Key, error) {
	return otp.NewKeyFromURL(KeyURL(issuer, account, secret))
}

// isTOTPCode reports whether s (spaces removed) has the shape of an
// authenticator app's code: six digits.
func isTOTPCode(s string) bool {
	return len(s) == 6 && strings.Trim(s, "0123456789") == ""
}

// matchStep returns the time step whose code is code, within skew steps of
// now; ok is false when none is.
func matchStep(secret, code string, now time.Time) (step int64, ok bool) {
	cur := now.Unix() / period
	for d := int64(-skew); d <= skew; d++ {
		s := cur + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*period, 0), totp.ValidateOpts{
			Period: period, Digits: digits, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// Code returns the authenticator app's code for secret at t: what tests
// and the documentation's examples compute.
func Code(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: period, Digits: digits, Algorithm: otp.AlgorithmSHA1})
}
