-- Courier relay (polling mode), MySQL 8 / MariaDB 10.6+. ${outbox_table} is the outbox table the relay publishes;
-- the relay's tables are named after it, so that several outboxes in one database each get their own relay state.

-- Relay instances alive: each heartbeats here; the live count decides every instance's fair share.
CREATE TABLE ${outbox_table}_relay_member (
    member_id    varchar(128) NOT NULL,
    heartbeat_at datetime(3)  NOT NULL,
    started_at   datetime(3)  NOT NULL,
    PRIMARY KEY (member_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per outbox partition. A claim increments the epoch; every delete checks owner and epoch.
CREATE TABLE ${outbox_table}_relay_lease (
    partition_no int          NOT NULL,
    owner        varchar(128),
    epoch        bigint       NOT NULL DEFAULT 0,
    expires_at   datetime(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (partition_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Cluster-wide switches set through the admin API (e.g. paused).
CREATE TABLE ${outbox_table}_relay_control (
    name       varchar(64)  NOT NULL,
    value      varchar(255) NOT NULL,
    updated_at datetime(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Failed publish attempts of messages still in the outbox (only failing messages have a row).
CREATE TABLE ${outbox_table}_relay_attempt (
    id         char(36)    NOT NULL,
    attempts   int         NOT NULL,
    last_error text        NOT NULL,
    updated_at datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Messages that failed too often, moved out of the outbox with their error. A PARKED message holds back the
-- later messages of its key; REPLAYED and SKIPPED ones are kept for the record.
CREATE TABLE ${outbox_table}_parked (
    id            char(36)     NOT NULL,
    aggregatetype varchar(255) NOT NULL,
    aggregateid   varchar(255) NOT NULL,
    type          varchar(255) NOT NULL,
    payload       longblob,
    headers       json         NOT NULL,
    partition_no  int          NOT NULL,
    seq           bigint       NOT NULL,
    created_at    timestamp(6) NOT NULL,
    attempts      int          NOT NULL,
    error         text         NOT NULL,
    parked_at     datetime(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    status        varchar(16)  NOT NULL DEFAULT 'PARKED',
    resolved_at   datetime(3),
    PRIMARY KEY (id),
    KEY ${outbox_table}_parked_key (aggregatetype, aggregateid, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
