-- Courier relay (polling mode), PostgreSQL. ${outbox_table} is the outbox table the relay publishes; the relay's
-- tables are named after it, so that several outboxes in one database each get their own relay state.

-- Relay instances alive: each heartbeats here; the live count decides every instance's fair share.
CREATE TABLE ${outbox_table}_relay_member (
    member_id    varchar(128) NOT NULL,
    heartbeat_at timestamptz  NOT NULL,
    started_at   timestamptz  NOT NULL,
    CONSTRAINT ${outbox_table}_relay_member_pk PRIMARY KEY (member_id)
);

-- One row per outbox partition. A claim increments the epoch; every delete checks owner and epoch.
CREATE TABLE ${outbox_table}_relay_lease (
    partition_no integer      NOT NULL,
    owner        varchar(128),
    epoch        bigint       NOT NULL DEFAULT 0,
    expires_at   timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT ${outbox_table}_relay_lease_pk PRIMARY KEY (partition_no)
);

-- Cluster-wide switches set through the admin API (e.g. paused).
CREATE TABLE ${outbox_table}_relay_control (
    name       varchar(64)  NOT NULL,
    value      varchar(255) NOT NULL,
    updated_at timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT ${outbox_table}_relay_control_pk PRIMARY KEY (name)
);

-- Failed publish attempts of messages still in the outbox (only failing messages have a row).
CREATE TABLE ${outbox_table}_relay_attempt (
    id         uuid        NOT NULL,
    attempts   integer     NOT NULL,
    last_error text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ${outbox_table}_relay_attempt_pk PRIMARY KEY (id)
);

-- Messages that failed too often, moved out of the outbox with their error. A PARKED message holds back the
-- later messages of its key; REPLAYED and SKIPPED ones are kept for the record.
CREATE TABLE ${outbox_table}_parked (
    id            uuid         NOT NULL,
    aggregatetype varchar(255) NOT NULL,
    aggregateid   varchar(255) NOT NULL,
    type          varchar(255) NOT NULL,
    payload       bytea,
    headers       jsonb        NOT NULL,
    partition_no  integer      NOT NULL,
    seq           bigint       NOT NULL,
    created_at    timestamptz  NOT NULL,
    attempts      integer      NOT NULL,
    error         text         NOT NULL,
    parked_at     timestamptz  NOT NULL DEFAULT now(),
    status        varchar(16)  NOT NULL DEFAULT 'PARKED',
    resolved_at   timestamptz,
    CONSTRAINT ${outbox_table}_parked_pk PRIMARY KEY (id)
);

CREATE INDEX ${outbox_table}_parked_key ON ${outbox_table}_parked (aggregatetype, aggregateid)
    WHERE status = 'PARKED';
