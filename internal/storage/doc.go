// Package storage defines what hubauth keeps: users, groups, clients, signing
// keys, authorization requests, device authorizations, browser sessions, login
// sessions with their refresh tokens, personal tokens and the audit log.
//
// Backends (internal/storage/sqlite, internal/storage/postgres) implement
// Storage; internal/storage/storagetest is the one conformance suite they all
// pass. Values are plain structs; secrets appear only as SHA-256 or argon2id
// hashes. Every method that changes more than one row does so in one
// transaction.
package storage
