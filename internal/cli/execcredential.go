package cli

import (
	"encoding/json"
	"fmt"
	"time"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// Kubernetes client-go credential plugins (kubectl's "exec" user):
// https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins
const (
	envKubernetesExecInfo = "KUBERNETES_EXEC_INFO"
	execCredentialV1      = "client.authentication.k8s.io/v1"
	execCredentialV1beta1 = "client.authentication.k8s.io/v1beta1"
)

// execCredential is the ExecCredential object a credential plugin prints.
// kubectl caches status.token until status.expirationTimestamp, then runs
// the plugin again.
type execCredential struct {
	APIVersion string               `json:"apiVersion"`
	Kind       string               `json:"kind"`
	Status     execCredentialStatus `json:"status"`
}

type execCredentialStatus struct {
	Token string `json:"token"`
	// ExpirationTimestamp is RFC 3339 (UTC); left out when the token's
	// expiry is unknown, which tells kubectl not to cache it.
	ExpirationTimestamp *time.Time `json:"expirationTimestamp,omitempty"`
}

// execCredentialVersion is the apiVersion to answer: the one kubectl
// announces in KUBERNETES_EXEC_INFO (which it sets for every plugin run),
// else v1. The two versions share the shape of status.
func execCredentialVersion(getenv func(string) string) (string, error) {
	raw := getenv(envKubernetesExecInfo)
	if raw == "" {
		return execCredentialV1, nil
	}
	var info struct {
		APIVersion string `json:"apiVersion"`
	}
	if err := json.Unmarshal([]byte(raw), &info); err != nil {
		return "", fmt.Errorf("%s is not valid JSON: %w", envKubernetesExecInfo, err)
	}
	switch info.APIVersion {
	case "", execCredentialV1:
		return execCredentialV1, nil
	case execCredentialV1beta1:
		return execCredentialV1beta1, nil
	}
	return "", cmdutil.UsageErrorf("%s asks for an ExecCredential of apiVersion %q: hubauth writes %s and %s (set apiVersion in the kubeconfig's exec section)",
		envKubernetesExecInfo, info.APIVersion, execCredentialV1, execCredentialV1beta1)
}

// writeExecCredential prints tok as an ExecCredential.
func writeExecCredential(o *TokenOptions, tok *oauth2.Token) error {
	version, err := execCredentialVersion(o.Getenv)
	if err != nil {
		return err
	}
	return cmdutil.WriteJSON(o.IO.Out, execCredential{
		APIVersion: version, Kind: "ExecCredential",
		Status: execCredentialStatus{Token: tok.AccessToken, ExpirationTimestamp: cmdutil.JSONTime(tok.Expiry)},
	})
}
