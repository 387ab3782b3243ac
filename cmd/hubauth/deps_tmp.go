package main

import (
	_ "github.com/coreos/go-oidc/v3/oidc"
	_ "github.com/go-jose/go-jose/v4"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/spf13/cobra"
	_ "github.com/zitadel/oidc/v3/pkg/op"
	_ "golang.org/x/crypto/argon2"
	_ "golang.org/x/oauth2"
	_ "modernc.org/sqlite"
)

func main() {}
