// Package server is the composition root of `hubauth serve`: it validates
// the configuration, seeds a new database (signing key, the built-in
// clients hubauth-cli and hubauth-docs), builds each protocol area
// (provider, pages, compat, api, docs, ops) and mounts them on one handler. It reads no flags and no
// environment: internal/cli does that.
package server
