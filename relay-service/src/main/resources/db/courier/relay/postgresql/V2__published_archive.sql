-- Published messages kept for courier.relay.outbox.retention (when it is set): the same columns as the outbox plus
-- when and under which lease the relay published them. The outbox table itself stays small; this one is pruned by
-- published_at.
CREATE TABLE ${outbox_table}_published (
    id            uuid         NOT NULL,
    aggregatetype varchar(255) NOT NULL,
    aggregateid   varchar(255) NOT NULL,
    type          varchar(255) NOT NULL,
    payload       bytea,
    headers       jsonb        NOT NULL,
    partition_no  integer      NOT NULL,
    seq           bigint       NOT NULL,
    created_at    timestamptz  NOT NULL,
    published_at  timestamptz  NOT NULL DEFAULT clock_timestamp(),
    lease_epoch   bigint       NOT NULL,
    CONSTRAINT ${outbox_table}_published_pk PRIMARY KEY (id)
);

CREATE INDEX ${outbox_table}_published_at ON ${outbox_table}_published (published_at);
CREATE INDEX ${outbox_table}_published_key ON ${outbox_table}_published (aggregatetype, aggregateid);
