-- Published messages kept for courier.relay.outbox.retention (when it is set): the same columns as the outbox plus
-- when and under which lease the relay published them. The outbox table itself stays small; this one is pruned by
-- published_at.
CREATE TABLE ${outbox_table}_published (
    id            char(36)     NOT NULL,
    aggregatetype varchar(255) NOT NULL,
    aggregateid   varchar(255) NOT NULL,
    type          varchar(255) NOT NULL,
    payload       longblob,
    headers       json         NOT NULL,
    partition_no  int          NOT NULL,
    seq           bigint       NOT NULL,
    created_at    timestamp(6) NOT NULL,
    published_at  datetime(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    lease_epoch   bigint       NOT NULL,
    PRIMARY KEY (id),
    KEY ${outbox_table}_published_at (published_at),
    KEY ${outbox_table}_published_key (aggregatetype, aggregateid)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
