package postgres

import (
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Unix nanoseconds in an int64 span the years 1678 to 2262.
var (
	minTime = time.Unix(0, math.MinInt64+1)
	maxTime = time.Unix(0, math.MaxInt64)
)

// nanos encodes t as Unix nanoseconds, with 0 for the zero time. Times
// outside the years 1678 to 2262 are clamped to the nearest end, so that
// comparisons in SQL stay right.
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

// list encodes a string list for a text[] column: nil becomes an empty
// array, since pgx would send NULL.
func list(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// timeCol scans a bigint nanosecond column into a time.Time.
type timeCol struct{ t *time.Time }

// ScanInt64 implements pgtype.Int64Scanner.
func (c timeCol) ScanInt64(v pgtype.Int8) error {
	*c.t = fromNanos(v.Int64)
	return nil
}

// listCol scans a text[] column into a []string; an empty array gives nil,
// as with the SQLite backend. It implements pgtype.ArraySetter.
type listCol struct{ l *[]string }

// SetDimensions implements pgtype.ArraySetter.
func (c listCol) SetDimensions(dims []pgtype.ArrayDimension) error {
	*c.l = nil
	if len(dims) > 0 && dims[0].Length > 0 {
		*c.l = make([]string, dims[0].Length)
	}
	return nil
}

// ScanIndex implements pgtype.ArraySetter.
func (c listCol) ScanIndex(i int) any { return &(*c.l)[i] }

// ScanIndexType implements pgtype.ArraySetter.
func (c listCol) ScanIndexType() any { return new(string) }

// scanner is what pgx.Row and pgx.Rows have in common.
type scanner interface {
	Scan(dest ...any) error
}

// scanAll collects every row of rows with scan, closing rows. It never
// returns a nil slice without an error, so empty lists encode as [] in JSON.
func scanAll[T any](rows pgx.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
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

// prefixed qualifies each name of a column list "a, b" as "p.a, p.b".
func prefixed(p, cols string) string {
	names := strings.Split(cols, ",")
	for i, n := range names {
		names[i] = p + strings.TrimSpace(n)
	}
	return strings.Join(names, ", ")
}
