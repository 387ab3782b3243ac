package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"time"
)

// checkpointEvery is how often the background checkpointer copies the
// write-ahead log into the database file.
const checkpointEvery = time.Second

// checkpointer copies the WAL into the database in the background, on a
// connection of its own. SQLite's automatic checkpoint is switched off (see
// dsn): it runs inside the commit that crosses the threshold, which then
// stalls every writer queued behind it — under refresh-token load that was
// the whole p99 (about 50 ms every second).
//
// Each tick first runs PASSIVE checkpoints, which copy the log without
// waiting for or blocking anyone: again while the last one copied more
// than restartTail frames (those written while the one before ran), at
// most passiveRounds times. Under constant load a PASSIVE checkpoint never
// reaches the end of the log, and SQLite syncs the database file only
// after one that does, so the checkpointer syncs it itself after each
// round. Then it takes
// the writer's turn for a RESTART checkpoint, which copies the few frames
// written meanwhile, syncs them and lets the next writer start the log
// from the beginning, so the WAL file stays small under constant load.
// The writers wait only for that last copy and its sync: with one PASSIVE
// round and no sync of its own, on a database of a million sessions, the
// RESTART held them 60-120 ms every second, most of it syncing the
// second's worth of pages the PASSIVE round had copied.
type checkpointer struct {
	db     *sql.DB
	dbFile *os.File // the database file, to sync
	enter  func(context.Context) (func(), error)
	stop   context.CancelFunc
	done   chan struct{}
}

func startCheckpointer(path string, enter func(context.Context) (func(), error)) (*checkpointer, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		f.Close()
		return nil, err
	}
	db.SetMaxOpenConns(1)
	ctx, stop := context.WithCancel(context.Background())
	c := &checkpointer{db: db, dbFile: f, enter: enter, stop: stop, done: make(chan struct{})}
	go c.run(ctx)
	return c, nil
}

func (c *checkpointer) run(ctx context.Context) {
	defer close(c.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.checkpoint(ctx)
		}
	}
}

// passiveRounds bounds the PASSIVE checkpoints of one tick, and
// restartTail is the number of frames few enough to copy with the
// writers waiting.
const (
	passiveRounds = 4
	restartTail   = 256
)

// checkpoint runs one tick; a failure (the database is away, a reader
// held on) is retried at the next tick.
func (c *checkpointer) checkpoint(ctx context.Context) {
	copied := 0 // frames in the log after the last round
	for range passiveRounds {
		var busy, frames, done int
		if err := c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &done); err != nil {
			return
		}
		if err := c.dbFile.Sync(); err != nil {
			return
		}
		fresh := frames - copied
		copied = frames
		if fresh <= restartTail {
			break
		}
	}
	release, err := c.enter(ctx)
	if err != nil {
		return
	}
	defer release()
	c.db.ExecContext(ctx, `PRAGMA wal_checkpoint(RESTART)`)
}

// close stops the checkpointer and closes its connection.
func (c *checkpointer) close() error {
	c.stop()
	<-c.done
	return errors.Join(c.db.Close(), c.dbFile.Close())
}
