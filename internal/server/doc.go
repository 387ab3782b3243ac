// Package server is the composition root of `hubauth serve`: it validates
// the configuration, seeds a new database (signing key, the built-in
// hubauth-cli client), builds each protocol area (provider, pages, compat,
// api, ops) and mounts them on one handler. It reads no flags and no
// environment: internal/cli does that.
package server
