package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

// schema is created at open. An upload is kept whole as JSON (doc), with
// the columns that queries filter and sort on beside it; upload_members
// lists every user and group with a role, for "my uploads".
const schema = `
CREATE TABLE IF NOT EXISTS uploads (
	upload_id          TEXT PRIMARY KEY,
	upload_name        TEXT NOT NULL,
	upload_create_time TEXT NOT NULL,
	published          INTEGER NOT NULL DEFAULT 0,
	embargo_end        TEXT,
	doc                TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS upload_members (
	upload_id TEXT NOT NULL REFERENCES uploads (upload_id) ON DELETE CASCADE,
	kind      TEXT NOT NULL CHECK (kind IN ('user', 'group')),
	name      TEXT NOT NULL,
	PRIMARY KEY (upload_id, kind, name)
);
CREATE INDEX IF NOT EXISTS upload_members_by_name ON upload_members (kind, name);
`

// errNotFound means there is no such upload.
var errNotFound = errors.New("datahub: upload not found")

// store keeps uploads in SQLite.
type store struct{ db *sql.DB }

// openStore opens (creating) the database at path.
func openStore(ctx context.Context, path string) (*store, error) {
	q := url.Values{"_pragma": {"busy_timeout(5000)", "foreign_keys(1)", "journal_mode(WAL)"}}
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath(), RawQuery: q.Encode()}).String())
	if err != nil {
		return nil, fmt.Errorf("datahub: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one writer; an example needs no more
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("datahub: create tables in %s: %w", path, err)
	}
	return &store{db: db}, nil
}

func (s *store) Close() error { return s.db.Close() }

// create stores a new upload and its members.
func (s *store) create(ctx context.Context, u Upload) error {
	doc, _ := json.Marshal(u)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO uploads (upload_id, upload_name, upload_create_time, doc) VALUES (?, ?, ?, ?)`,
		u.UploadID, u.UploadName, u.UploadCreateTime, doc); err != nil {
		return err
	}
	for kind, names := range map[string][]string{"user": u.Viewers, "group": u.ViewerGroups} {
		for _, name := range names {
			if _, err := tx.ExecContext(ctx, `INSERT INTO upload_members (upload_id, kind, name) VALUES (?, ?, ?)`, u.UploadID, kind, name); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// get returns an upload.
func (s *store) get(ctx context.Context, id string, now time.Time) (Upload, error) {
	var doc []byte
	err := s.db.QueryRowContext(ctx, `SELECT doc FROM uploads WHERE upload_id = ?`, id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return Upload{}, errNotFound
	}
	if err != nil {
		return Upload{}, err
	}
	return decodeUpload(doc, now)
}

// publish marks an upload published, with its embargo end.
func (s *store) publish(ctx context.Context, u Upload) error {
	doc, _ := json.Marshal(u)
	_, err := s.db.ExecContext(ctx, `UPDATE uploads SET published = 1, embargo_end = ?, doc = ? WHERE upload_id = ?`,
		u.embargoEnd().Format(timeFormat), doc, u.UploadID)
	return err
}

// decodeUpload reads a stored upload; an embargo that ended is lifted.
func decodeUpload(doc []byte, now time.Time) (Upload, error) {
	var u Upload
	if err := json.Unmarshal(doc, &u); err != nil {
		return u, fmt.Errorf("datahub: stored upload: %w", err)
	}
	if u.WithEmbargo && !now.Before(u.embargoEnd()) {
		u.WithEmbargo = false
	}
	return u, nil
}

// listQuery selects uploads: those where subject or one of groups has a
// role, plus, when public, every published upload out of embargo; their
// name containing text when set.
type listQuery struct {
	subject string
	groups  []string
	public  bool
	text    string
	page    pagination
	now     time.Time
}

// where is the SQL condition of q and its arguments (?1 subject, ?2 the
// groups as a JSON array, ?3 now, ?4 the LIKE pattern).
func (q listQuery) where() (string, []any) {
	groups, _ := json.Marshal(list(q.groups))
	cond := `(upload_id IN (SELECT upload_id FROM upload_members
		WHERE (kind = 'user' AND name = ?1) OR (kind = 'group' AND name IN (SELECT value FROM json_each(?2))))`
	if q.public {
		cond += ` OR (published = 1 AND embargo_end <= ?3)`
	}
	cond += `)`
	pattern := ""
	if q.text != "" {
		cond += ` AND upload_name LIKE ?4 ESCAPE '\'`
		pattern = "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q.text) + "%"
	}
	return cond, []any{q.subject, string(groups), q.now.UTC().Format(timeFormat), pattern}
}

// list returns one page of the uploads q selects and how many there are
// in all.
func (s *store) list(ctx context.Context, q listQuery) ([]Upload, int, error) {
	cond, args := q.where()
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM uploads WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	p := q.page
	rows, err := s.db.QueryContext(ctx, `SELECT doc FROM uploads WHERE `+cond+
		` ORDER BY `+p.OrderBy+` `+p.Order+`, upload_id `+p.Order+` LIMIT ?5 OFFSET ?6`,
		append(args, p.PageSize, (p.Page-1)*p.PageSize)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []Upload{}
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, 0, err
		}
		u, err := decodeUpload(doc, q.now)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}
