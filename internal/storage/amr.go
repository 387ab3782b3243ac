package storage

import (
	"slices"
	"strings"
)

// idpMethod prefixes the AMR entry that names the upstream provider of a
// federated sign-in. The entry travels with the other methods from the hub
// session to authorization requests, device authorizations and login
// sessions; SplitAMR takes it out again before anything is issued.
const idpMethod = "idp:"

// FederatedAMR is the AMR recorded for a sign-in through upstream
// provider: the method "fed" (RFC 8176 §2) and the provider's name.
func FederatedAMR(provider string) []string {
	return []string{"fed", idpMethod + provider}
}

// SplitAMR separates a recorded AMR into the authentication methods that
// tokens carry as amr and the upstream provider they carry as idp ("" for
// a sign-in at the hub itself).
func SplitAMR(amr []string) (methods []string, provider string) {
	methods = make([]string, 0, len(amr))
	for _, m := range amr {
		if p, ok := strings.CutPrefix(m, idpMethod); ok {
			provider = p
			continue
		}
		methods = append(methods, m)
	}
	return methods, provider
}

// Authentication methods and classes of a sign-in (RFC 8176, OIDC Core 2).
const (
	// AMRPassword is a password ("pwd").
	AMRPassword = "pwd"
	// AMROTP is a one-time code: an authenticator app's or a recovery
	// code ("otp").
	AMROTP = "otp"
	// AMRMFA marks a sign-in with more than one factor ("mfa").
	AMRMFA = "mfa"
	// AMRHardwareKey is a passkey bound to its device ("hwk": proof of
	// possession of a hardware-secured key).
	AMRHardwareKey = "hwk"
	// AMRSoftwareKey is a synced passkey, one the authenticator may back
	// up to other devices ("swk": a software-secured key).
	AMRSoftwareKey = "swk"
	// AMRUserPresence is RFC 8176's user presence test ("user"): the
	// user was present and interacting with the authenticator (WebAuthn's
	// user-present flag, set in every passkey answer). It says nothing of
	// user verification (a PIN or biometric): "mfa" says that.
	AMRUserPresence = "user"
	// ACRMFA is the acr of a sign-in with two factors, and the acr_values
	// a client sends to ask for one.
	ACRMFA = "mfa"
)

// WithSecondFactor returns amr (a recorded AMR) with method, a second
// factor, and "mfa" added. A method amr has already is no second factor
// (the same kind of proof twice): amr is returned as it is.
func WithSecondFactor(amr []string, method string) []string {
	if slices.Contains(amr, method) {
		return slices.Clone(amr)
	}
	out := make([]string, 0, len(amr)+2)
	for _, m := range amr {
		if m != AMRMFA {
			out = append(out, m)
		}
	}
	return append(out, method, AMRMFA)
}

// ACR returns the acr of a sign-in whose methods are amr: ACRMFA when it
// used two factors, "" otherwise (no claim).
func ACR(amr []string) string {
	if HasMFA(amr) {
		return ACRMFA
	}
	return ""
}

// HasMFA reports whether a sign-in recorded as amr passed two factors.
func HasMFA(amr []string) bool { return slices.Contains(amr, AMRMFA) }

// PasskeyMethod is the AMR method of a passkey: AMRSoftwareKey for one
// that may be backed up to other devices (backup eligible), else
// AMRHardwareKey.
func PasskeyMethod(backupEligible bool) string {
	if backupEligible {
		return AMRSoftwareKey
	}
	return AMRHardwareKey
}

// PasskeyAMR is the AMR of a sign-in with a passkey alone (method, from
// PasskeyMethod), whose authenticator verified its user (the hub
// requires it): the user was present (AMRUserPresence), and the key,
// unlocked by something the user knows or is, is two factors ("mfa").
func PasskeyAMR(method string) []string {
	return []string{method, AMRUserPresence, AMRMFA}
}
