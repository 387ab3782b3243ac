package mfa

import (
	"errors"
	"net"
	"net/url"
	"strings"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/hubauth/hubauth/internal/storage"
)

// relyingParty returns the WebAuthn relying party of the hub at issuer:
// its id is the issuer's host name and its one origin the issuer's
// origin (W3C WebAuthn §5.1.4.1, §13.4.9). Browsers refuse WebAuthn on an
// IP address and outside a secure context (https, or http on localhost),
// so for such an issuer it returns nil and why, in words for the pages.
func relyingParty(issuer string) (*webauthn.WebAuthn, string) {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" {
		return nil, "Passkeys are unavailable: the hub's address is not a URL."
	}
	host := strings.ToLower(u.Hostname())
	localhost := host == "localhost" || strings.HasSuffix(host, ".localhost")
	switch {
	case net.ParseIP(host) != nil:
		fix := "serve --issuer with a domain name"
		if ip := net.ParseIP(host); ip.IsLoopback() {
			fix = "http://localhost"
			if p := u.Port(); p != "" {
				fix += ":" + p
			}
			fix = "it at " + fix + " instead (serve --issuer " + fix + ")"
		}
		return nil, "Passkeys are unavailable here: this hub's address " + u.Scheme + "://" + u.Host +
			" is an IP address, and browsers allow passkeys only on a domain name. To use them, an administrator serves " + fix + "."
	case u.Scheme != "https" && !localhost:
		return nil, "Passkeys are unavailable here: browsers allow them only over https (or on localhost), and this hub is served over " + u.Scheme + "."
	}
	wa, err := webauthn.New(&webauthn.Config{
		RPID: host, RPDisplayName: "hubauth " + host, RPOrigins: []string{origin(u)},
		AttestationPreference: protocol.PreferNoAttestation,
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey: protocol.ResidentKeyRequirementRequired, RequireResidentKey: protocol.ResidentKeyRequired(),
			UserVerification: protocol.VerificationPreferred},
	})
	if err != nil {
		return nil, "Passkeys are unavailable: " + err.Error()
	}
	return wa, ""
}

// origin is the serialised origin of u as browsers send it in
// clientDataJSON (HTML §7.5, ASCII serialisation): scheme and host in
// lower case, the port only when it is not the scheme's default.
func origin(u *url.URL) string {
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // never reached: IP addresses get no passkeys
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}

// keyUser is a hub user as go-webauthn sees one: the user handle is the
// hub's user id (opaque, stable, no personal data: §14.6.1).
type keyUser struct {
	u    storage.User
	keys []storage.Passkey
}

// WebAuthnID is the user handle: the hub's user id.
func (k keyUser) WebAuthnID() []byte { return []byte(k.u.ID) }

// WebAuthnName is the name the authenticator shows: the username.
func (k keyUser) WebAuthnName() string { return k.u.Username }

// WebAuthnDisplayName is the user's name, or the username.
func (k keyUser) WebAuthnDisplayName() string {
	if k.u.Name != "" {
		return k.u.Name
	}
	return k.u.Username
}

// WebAuthnCredentials are the user's passkeys as go-webauthn checks them.
func (k keyUser) WebAuthnCredentials() []webauthn.Credential {
	out := make([]webauthn.Credential, 0, len(k.keys))
	for _, p := range k.keys {
		out = append(out, credential(p))
	}
	return out
}

// credential is the go-webauthn form of p.
func credential(p storage.Passkey) webauthn.Credential {
	ts := make([]protocol.AuthenticatorTransport, 0, len(p.Transports))
	for _, t := range p.Transports {
		ts = append(ts, protocol.AuthenticatorTransport(t))
	}
	return webauthn.Credential{ID: p.CredentialID, PublicKey: p.PublicKey, AttestationType: p.AttestationType, Transport: ts,
		Flags: webauthn.CredentialFlags{UserPresent: true, UserVerified: p.UserVerified, BackupEligible: p.BackupEligible,
			BackupState: p.BackupState},
		Authenticator: webauthn.Authenticator{AAGUID: p.AAGUID, SignCount: p.SignCount}}
}

// passkeyOf is the stored form of a newly registered credential c.
func passkeyOf(c *webauthn.Credential) storage.Passkey {
	ts := make([]string, 0, len(c.Transport))
	for _, t := range c.Transport {
		ts = append(ts, string(t))
	}
	return storage.Passkey{CredentialID: c.ID, PublicKey: c.PublicKey, AttestationType: c.AttestationType, Transports: ts,
		AAGUID: c.Authenticator.AAGUID, SignCount: c.Authenticator.SignCount, UserVerified: c.Flags.UserVerified,
		BackupEligible: c.Flags.BackupEligible, BackupState: c.Flags.BackupState}
}

// refusal says why go-webauthn refused an answer, for the audit log: the
// protocol error's details, never key material.
func refusal(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) && pe.Details != "" {
		if pe.DevInfo != "" {
			return pe.Details + " (" + pe.DevInfo + ")"
		}
		return pe.Details
	}
	return err.Error()
}
