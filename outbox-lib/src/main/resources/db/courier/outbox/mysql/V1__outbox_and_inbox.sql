-- Courier outbox and inbox, MySQL 8 / MariaDB 10.6+.
-- ${outbox_table} and ${inbox_table} are Flyway placeholders (defaults courier_outbox and courier_inbox);
-- OutboxSchema.sql(...) renders this file with them replaced, for other migration tools.

-- Column names id, aggregatetype, aggregateid, type and payload are those of Debezium's outbox EventRouter.
-- InnoDB clusters rows by primary key, so the insertion sequence is the key and the UUID a unique index.
CREATE TABLE ${outbox_table} (
    seq           bigint       NOT NULL AUTO_INCREMENT,
    id            char(36)     NOT NULL,
    aggregatetype varchar(255) NOT NULL,
    aggregateid   varchar(255) NOT NULL,
    type          varchar(255) NOT NULL,
    payload       longblob,
    headers       json         NOT NULL,
    partition_no  int          NOT NULL,
    created_at    timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (seq),
    UNIQUE KEY ${outbox_table}_id (id),
    KEY ${outbox_table}_partition_seq (partition_no, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE ${inbox_table} (
    consumer    varchar(255) NOT NULL,
    message_id  varchar(255) NOT NULL,
    received_at timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (consumer, message_id),
    KEY ${inbox_table}_received_at (received_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
