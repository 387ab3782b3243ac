package cmdutil

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hubauth/hubauth/internal/names"
)

// Table writes aligned columns. Empty cells are shown as "-"; every cell
// passes through names.Escape, as it may hold server- or user-supplied
// text.
type Table struct{ w *tabwriter.Writer }

// NewTable starts a table on w with a header row.
func NewTable(w io.Writer, header ...string) *Table {
	t := &Table{w: tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)}
	t.Row(header...)
	return t
}

// Row writes a row of cells.
func (t *Table) Row(cells ...string) {
	for i, c := range cells {
		if c == "" {
			c = "-"
		}
		cells[i] = names.Escape(c)
	}
	fmt.Fprintln(t.w, strings.Join(cells, "\t"))
}

// Flush writes the table out.
func (t *Table) Flush() error { return t.w.Flush() }

// WriteJSON writes v as indented JSON and a newline. The characters a
// terminal obeys that encoding/json leaves raw (C1 controls, bidirectional
// formatting: names.Unsafe but for the newlines between lines) are written
// as \u escapes, which every JSON decoder reads back the same.
func WriteJSON(w io.Writer, v any) error {
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	var out strings.Builder
	for _, r := range buf.String() {
		if r != '\n' && names.Unsafe(r) {
			fmt.Fprintf(&out, `\u%04x`, r)
			continue
		}
		out.WriteRune(r)
	}
	_, err := io.WriteString(w, out.String())
	return err
}

// FormatTime formats t for tables: RFC 3339 in UTC, "" for the zero time.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// JSONTime is t in UTC for JSON output, nil (null) for the zero time.
func JSONTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// YesNo formats a flag for tables.
func YesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
