package sqlite

import (
	"context"
	"database/sql"
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
// Each tick first runs a PASSIVE checkpoint, which copies the bulk of the
// log without waiting for or blocking anyone, then takes the writer's turn
// for a RESTART checkpoint that copies the few frames written meanwhile and
// lets the next writer start the log from the beginning, so the WAL file
// stays small under constant load.
type checkpointer struct {
	db    *sql.DB
	enter func(context.Context) (func(), error)
	stop  context.CancelFunc
	done  chan struct{}
}

func startCheckpointer(path string, enter func(context.Context) (func(), error)) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	ctx, stop := context.WithCancel(context.Background())
	c := &checkpointer{db: db, enter: enter, stop: stop, done: make(chan struct{})}
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

// checkpoint runs one round; a failure (the database is away, a reader
// held on) is retried at the next tick.
func (c *checkpointer) checkpoint(ctx context.Context) {
	if _, err := c.db.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
		return
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
	return c.db.Close()
}
