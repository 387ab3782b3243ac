// Package swaggerui serves an API dashboard: Swagger UI (npm's
// swagger-ui-dist, the version in dist/VERSION) for one OpenAPI document,
// with its Authorize button set up for a public OAuth client and PKCE.
//
// The Swagger UI files are embedded in the binary (dist/, copied and
// checked by update.sh; nothing is fetched from a CDN at run time). The
// page starts Swagger UI with a script of its own (page/dashboard.js) that
// reads the settings from config.json, so the page runs no inline script
// and its Content-Security-Policy allows the server's own scripts only.
// The files are compressed once, when the first Handler is built, served
// gzipped to browsers that accept it, and revalidated with ETags.
//
// The hub serves its own dashboard with it (/api/v1/docs/), and data APIs
// get theirs through resource.Dashboard. The package uses the standard
// library only, so resource may import it and stay light.
package swaggerui
