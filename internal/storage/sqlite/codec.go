package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// Unix nanoseconds in an int64 span the years 1678 to 2262.
var (
	minTime = time.Unix(0, math.MinInt64+1)
	maxTime = time.Unix(0, math.MaxInt64)
)

// nanos encodes t as Unix nanoseconds, with 0 for the zero time. Times
// outside the years 1678 to 2262 (a "never" of 9999-12-31, say) are clamped
// to the nearest end, so that comparisons in SQL stay right.
func nanos(t time.Time) int64 {
	switch {
	case t.IsZero():
		return 0
	case t.Before(minTime):
		return math.MinInt64 + 1
	case t.After(maxTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// fromNanos decodes nanos: 0 is the zero time, anything else a UTC time.
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// list encodes a string list as a JSON array; nil becomes [].
func list(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	b, err := json.Marshal(l)
	if err != nil {
		panic(err) // a []string always marshals
	}
	return string(b)
}

// timeCol scans an INTEGER nanosecond column into a time.Time.
type timeCol struct{ t *time.Time }

// Scan implements sql.Scanner.
func (c timeCol) Scan(v any) error {
	n, ok := v.(int64)
	if !ok {
		return fmt.Errorf("time column holds %T, want int64", v)
	}
	*c.t = fromNanos(n)
	return nil
}

// listCol scans a JSON array column into a []string; an empty array gives nil.
type listCol struct{ l *[]string }

// Scan implements sql.Scanner.
func (c listCol) Scan(v any) error {
	var b []byte
	switch v := v.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("list column holds %T, want text", v)
	}
	*c.l = nil
	if len(b) == 0 || string(b) == "[]" {
		return nil
	}
	return json.Unmarshal(b, c.l)
}

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface {
	Scan(dest ...any) error
}

// scanAll collects every row of rows with scan, closing rows. It never
// returns a nil slice without an error, so empty lists encode as [] in JSON.
func scanAll[T any](rows *sql.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// columns splits a column list "a, b" into its names.
func columns(cols string) []string {
	names := strings.Split(cols, ",")
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
	}
	return names
}

// prefixed qualifies each name of a column list "a, b" as "p.a, p.b".
func prefixed(p, cols string) string {
	names := columns(cols)
	for i := range names {
		names[i] = p + names[i]
	}
	return strings.Join(names, ", ")
}

// assignments turns a column list "a, b" into "a = ?, b = ?" for UPDATE.
func assignments(cols string) string {
	names := columns(cols)
	for i := range names {
		names[i] += " = ?"
	}
	return strings.Join(names, ", ")
}
