package sqlite

import (
	"context"
	"database/sql"
	"os"
	"time"
)

// checkpointEvery is how often the background checkpointer copies the
// write-ahead log into the database file, and restartFrames the length of
// the log (4 KiB pages: 192 MiB, under journal_size_limit with what is
// written until the RESTART) from which it also restarts it. Copying more
// often than once a second spreads the copy's load: on a database of a
// million sessions under refresh load, a copy once a second slowed the
// single writer's groups to 20-80 ms while it ran (refresh p99 57-74 ms).
// A RESTART makes the writers wait, each tick costs syncs, and a restarted
// log empties the writer's page cache, so restarts stay rare: a RESTART
// every 100 ms cost the empty database's refresh 10-20 %; one every 12,288
// frames with SQLite's 2 MiB cache gave p99 31-43 ms on the large database,
// one every 49,152 with a 32 MiB cache 28-35 ms. Under light load the log
// needs no RESTART: once a PASSIVE copy reaches its end, the next writer
// starts it from the beginning.
const (
	checkpointEvery = 250 * time.Millisecond
	restartFrames   = 49152
)

// checkpointer copies the WAL into the database in the background, on a
// connection of its own. SQLite's automatic checkpoint is switched off (see
// dsn): it runs inside the commit that crosses the threshold, which then
// stalls every writer queued behind it — under refresh-token load that was
// the whole p99 (about 50 ms every second).
//
// Each tick runs a PASSIVE checkpoint, which copies the log without
// waiting for or blocking anyone. Once the log holds restartFrames frames,
// the tick gets it ready for a RESTART: under constant load a PASSIVE
// checkpoint never reaches the end of the log, and SQLite syncs the
// database file only after one that does, so the checkpointer syncs it
// itself, and runs PASSIVE rounds (each followed by a sync) again while
// the last one copied more than restartTail frames (those written while
// the one before ran), at most passiveRounds times. Then it takes the
// writer's turn for the RESTART, which copies the few frames written
// meanwhile, syncs them and lets the next writer start the log from the
// beginning, so the WAL file stays small under constant load. The writers
// wait only for that last copy and its sync: with one PASSIVE round and
// no sync of its own, on a database of a million sessions, the RESTART
// held them 60-120 ms every second, most of it syncing the second's worth
// of pages the PASSIVE round had copied; now 5-13 ms.
type checkpointer struct {
	restartFrames int
	frames        int // in the log at the last PASSIVE round
	db            *sql.DB
	dbFile        *os.File // the database file, to sync
	enter         func(context.Context) (func(), error)
	stop          context.CancelFunc
	done          chan struct{}
}

// startCheckpointer starts the checkpointer of the database at path. It
// opens the file itself, to sync it; its handle is closed by closeFile,
// after every connection (on error, none is left open).
func startCheckpointer(path string, enter func(context.Context) (func(), error)) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn(path, false)) // connects on first use
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		db.Close()
		return nil, err
	}
	db.SetMaxOpenConns(1)
	ctx, stop := context.WithCancel(context.Background())
	c := &checkpointer{restartFrames: restartFrames, db: db, dbFile: f, enter: enter, stop: stop, done: make(chan struct{})}
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
// held on) is retried at the next tick. A tick that finds no new frame
// does nothing more.
func (c *checkpointer) checkpoint(ctx context.Context) {
	fresh, ok := c.passive(ctx)
	for round := 1; ok && fresh > 0 && c.frames >= c.restartFrames; round++ {
		if err := c.dbFile.Sync(); err != nil {
			return
		}
		if fresh <= restartTail || round == passiveRounds {
			c.restart(ctx)
			return
		}
		if fresh, ok = c.passive(ctx); ok && fresh == 0 {
			c.restart(ctx)
			return
		}
	}
}

// passive runs a PASSIVE checkpoint and returns how many frames the log
// gained since the last one (all of it when it started again from the
// beginning); not ok when it failed or another checkpoint (another
// process) was running.
func (c *checkpointer) passive(ctx context.Context) (fresh int, ok bool) {
	var busy, frames, done int
	err := c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &done)
	if err != nil || busy != 0 || frames < 0 {
		return 0, false
	}
	fresh = frames - c.frames
	if frames < c.frames {
		fresh = frames
	}
	c.frames = frames
	return fresh, true
}

// restart runs the RESTART checkpoint in the writer's turn.
func (c *checkpointer) restart(ctx context.Context) {
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
	return c.db.Close()
}

// closeFile closes the checkpointer's handle on the database file: only
// once every connection to it is closed (see Store.Close).
func (c *checkpointer) closeFile() error { return c.dbFile.Close() }
