-- best-effort-notifier state (PostgreSQL). Applied by Flyway at start-up; plain SQL for other migration tools.

CREATE TABLE notifier_endpoint (
    id               UUID PRIMARY KEY,
    url              VARCHAR(2048) NOT NULL,
    description      VARCHAR(512),
    retry_profile    VARCHAR(512)  NOT NULL,
    ack_matcher      VARCHAR(32)   NOT NULL,
    timeout_ms       INTEGER       NOT NULL,
    max_concurrency  INTEGER       NOT NULL,
    rate_per_second  INTEGER       NOT NULL,
    headers          JSONB         NOT NULL DEFAULT '{}',
    enabled          BOOLEAN       NOT NULL DEFAULT TRUE,
    disabled_reason  VARCHAR(512),
    created_at       TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ   NOT NULL DEFAULT now()
);

-- Signing secrets. A rotation adds a secret and gives the previous ones a not_after: until then both sign.
CREATE TABLE notifier_endpoint_secret (
    id           BIGSERIAL PRIMARY KEY,
    endpoint_id  UUID         NOT NULL REFERENCES notifier_endpoint (id) ON DELETE CASCADE,
    secret       VARCHAR(128) NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    not_after    TIMESTAMPTZ
);
CREATE INDEX notifier_endpoint_secret_endpoint ON notifier_endpoint_secret (endpoint_id);

-- One row per accepted notification. next_attempt_at doubles as the lease: a claim moves it to now() + lease and
-- sets lease_owner, so a crashed instance's claims fall due again when its lease runs out.
CREATE TABLE notifier_notification (
    id                UUID PRIMARY KEY,
    endpoint_id       UUID          NOT NULL REFERENCES notifier_endpoint (id),
    source            VARCHAR(64)   NOT NULL,
    idempotency_key   VARCHAR(255)  NOT NULL,
    event_type        VARCHAR(255)  NOT NULL,
    body              TEXT          NOT NULL,
    headers           JSONB         NOT NULL DEFAULT '{}',
    traceparent       VARCHAR(64),
    status            VARCHAR(16)   NOT NULL,
    attempts          INTEGER       NOT NULL DEFAULT 0,
    round_attempts    INTEGER       NOT NULL DEFAULT 0,
    next_attempt_at   TIMESTAMPTZ   NOT NULL,
    lease_owner       VARCHAR(128),
    last_status_code  INTEGER,
    last_error        VARCHAR(1024),
    created_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
    finished_at       TIMESTAMPTZ,
    feed_seq          BIGSERIAL     NOT NULL,
    CONSTRAINT notifier_notification_status CHECK (status IN ('PENDING', 'DELIVERED', 'GAVE_UP', 'CANCELLED')),
    CONSTRAINT notifier_notification_idempotency UNIQUE (source, idempotency_key)
);
CREATE INDEX notifier_notification_due ON notifier_notification (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX notifier_notification_endpoint ON notifier_notification (endpoint_id, created_at);
CREATE INDEX notifier_notification_feed ON notifier_notification (endpoint_id, feed_seq);

CREATE TABLE notifier_attempt (
    id               BIGSERIAL PRIMARY KEY,
    notification_id  UUID          NOT NULL REFERENCES notifier_notification (id) ON DELETE CASCADE,
    number           INTEGER       NOT NULL,
    instance         VARCHAR(128)  NOT NULL,
    started_at       TIMESTAMPTZ   NOT NULL,
    duration_ms      INTEGER       NOT NULL,
    status_code      INTEGER,
    response_excerpt VARCHAR(1024),
    error            VARCHAR(1024),
    outcome          VARCHAR(16)   NOT NULL
);
CREATE INDEX notifier_attempt_notification ON notifier_attempt (notification_id, id);
