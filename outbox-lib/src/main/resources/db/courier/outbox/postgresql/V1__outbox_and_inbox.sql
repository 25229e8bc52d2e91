-- Courier outbox and inbox, PostgreSQL.
-- ${outbox_table} and ${inbox_table} are Flyway placeholders (defaults courier_outbox and courier_inbox);
-- OutboxSchema.sql(...) renders this file with them replaced, for other migration tools.

-- Column names id, aggregatetype, aggregateid, type and payload are those of Debezium's outbox EventRouter,
-- so the same table serves the polling relay and CDC.
CREATE TABLE ${outbox_table} (
    id            uuid         NOT NULL,
    aggregatetype varchar(255) NOT NULL,
    aggregateid   varchar(255) NOT NULL,
    type          varchar(255) NOT NULL,
    payload       bytea,
    headers       jsonb        NOT NULL DEFAULT '{}',
    -- Stable hash of aggregateid: the unit a relay instance leases.
    partition_no  integer      NOT NULL,
    -- Insertion order within a partition. Not a cursor: a late-committing row may get a lower value.
    seq           bigint       GENERATED ALWAYS AS IDENTITY,
    created_at    timestamptz  NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT ${outbox_table}_pk PRIMARY KEY (id)
);

CREATE INDEX ${outbox_table}_partition_seq ON ${outbox_table} (partition_no, seq);

CREATE TABLE ${inbox_table} (
    consumer    varchar(255) NOT NULL,
    message_id  varchar(255) NOT NULL,
    received_at timestamptz  NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT ${inbox_table}_pk PRIMARY KEY (consumer, message_id)
);

CREATE INDEX ${inbox_table}_received_at ON ${inbox_table} (received_at);
