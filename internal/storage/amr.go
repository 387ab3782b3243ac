package storage

import "strings"

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
