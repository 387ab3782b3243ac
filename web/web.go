// Package web holds the hub's HTML templates and static files, embedded in
// the binary. Templates are parsed once at start-up, so a broken template
// stops the server from starting instead of failing a user's login.
package web

import (
	"embed"
	"html/template"
	"io/fs"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Static returns the static files (style sheet), served under /static/.
func Static() fs.FS {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embedded directory always exists
	}
	return sub
}

// Templates parses every page template, each with the shared layout, by
// file name ("login.html"), which is also the parsed template's Name.
func Templates() (map[string]*template.Template, error) {
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := make(map[string]*template.Template)
	for _, p := range pages {
		name := p[len("templates/"):]
		if name == "layout.html" {
			continue
		}
		t, err := template.ParseFS(templateFS, p, "templates/layout.html")
		if err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}
