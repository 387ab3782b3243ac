package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hubauth/hubauth/internal/names"
)

// table writes aligned columns. Empty cells are shown as "-"; every cell
// passes through names.Escape, as it may hold server- or user-supplied
// text.
type table struct{ w *tabwriter.Writer }

// newTable starts a table on w with a header row.
func newTable(w io.Writer, header ...string) *table {
	t := &table{w: tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)}
	t.row(header...)
	return t
}

func (t *table) row(cells ...string) {
	for i, c := range cells {
		if c == "" {
			c = "-"
		}
		cells[i] = names.Escape(c)
	}
	fmt.Fprintln(t.w, strings.Join(cells, "\t"))
}

func (t *table) flush() error { return t.w.Flush() }

// writeJSON writes v as indented JSON and a newline. The characters a
// terminal obeys that encoding/json leaves raw (C1 controls, bidirectional
// formatting: names.Unsafe but for the newlines between lines) are written
// as \u escapes, which every JSON decoder reads back the same.
func writeJSON(w io.Writer, v any) error {
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

// formatTime formats t for tables: RFC 3339 in UTC, "" for the zero time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// jsonTime is t in UTC for JSON output, nil (null) for the zero time.
func jsonTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// yesNo formats a flag for tables.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
