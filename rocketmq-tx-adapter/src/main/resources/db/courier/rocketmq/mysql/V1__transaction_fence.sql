-- One row per transactional message: its local transaction inserts (tx_id, 'COMMITTED') first thing and commits it
-- with the business rows; the broker's check-back inserts (tx_id, 'ROLLED_BACK') if absent, then reads the row. While
-- the local transaction runs, the check's insert waits on its row lock, and a local transaction that starts after the
-- check decided fails on the duplicate key: every answer is definite, and never contradicts the database.
CREATE TABLE ${fence_table} (
    tx_id      varchar(64) NOT NULL,
    status     varchar(16) NOT NULL,
    created_at datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (tx_id),
    KEY ${fence_table}_created (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
