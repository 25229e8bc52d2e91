-- One row per transactional message: its local transaction inserts (tx_id, 'COMMITTED') first thing and commits it
-- with the business rows; the broker's check-back inserts (tx_id, 'ROLLED_BACK') if absent, then reads the row. While
-- the local transaction runs, the check's insert waits on its row lock, and a local transaction that starts after the
-- check decided fails on the duplicate key: every answer is definite, and never contradicts the database.
CREATE TABLE ${fence_table} (
    tx_id      varchar(64) NOT NULL,
    status     varchar(16) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT ${fence_table}_pk PRIMARY KEY (tx_id),
    CONSTRAINT ${fence_table}_status CHECK (status IN ('COMMITTED', 'ROLLED_BACK'))
);

-- Retention deletes by age.
CREATE INDEX ${fence_table}_created ON ${fence_table} (created_at);
