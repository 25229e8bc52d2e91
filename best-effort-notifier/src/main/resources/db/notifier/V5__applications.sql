-- Applications (tenants): each owns endpoints, receives messages that fan out to the endpoints subscribed to their
-- event type, and may hold API tokens scoped to itself. Endpoints without an application work as before.
CREATE TABLE notifier_application (
    id               VARCHAR(64)  PRIMARY KEY,
    name             VARCHAR(256),
    rate_per_second  INTEGER      NOT NULL,
    max_concurrency  INTEGER      NOT NULL,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Tokens scoped to one application. Only their SHA-256 digest is kept: the token is shown once, when issued.
CREATE TABLE notifier_application_token (
    id              UUID PRIMARY KEY,
    application_id  VARCHAR(64)  NOT NULL REFERENCES notifier_application (id) ON DELETE CASCADE,
    digest          BYTEA        NOT NULL UNIQUE,
    description     VARCHAR(256),
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at      TIMESTAMPTZ,
    revoked_at      TIMESTAMPTZ
);
CREATE INDEX notifier_application_token_application ON notifier_application_token (application_id);

-- An endpoint's subscription: the event types it receives (exact names or prefix.* wildcards; NULL: all) and its
-- channels (NULL: messages of any channel or none).
ALTER TABLE notifier_endpoint ADD COLUMN application_id VARCHAR(64) REFERENCES notifier_application (id);
ALTER TABLE notifier_endpoint ADD COLUMN event_types VARCHAR(255)[];
ALTER TABLE notifier_endpoint ADD COLUMN channels VARCHAR(128)[];
CREATE INDEX notifier_endpoint_application ON notifier_endpoint (application_id, created_at);

-- A message sent to an application. Its body is stored once; each subscribed endpoint gets a delivery, a row of
-- notifier_notification with message_id set and body NULL (read from here).
CREATE TABLE notifier_message (
    id               UUID PRIMARY KEY,
    application_id   VARCHAR(64)   NOT NULL REFERENCES notifier_application (id),
    source           VARCHAR(256)  NOT NULL,
    idempotency_key  VARCHAR(255)  NOT NULL,
    event_type       VARCHAR(255)  NOT NULL,
    channels         VARCHAR(128)[] NOT NULL DEFAULT '{}',
    body             TEXT          NOT NULL,
    headers          JSONB         NOT NULL DEFAULT '{}',
    traceparent      VARCHAR(64),
    tracestate       VARCHAR(512),
    created_at       TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT notifier_message_idempotency UNIQUE (application_id, idempotency_key)
);
CREATE INDEX notifier_message_application ON notifier_message (application_id, id);

ALTER TABLE notifier_notification ADD COLUMN message_id UUID REFERENCES notifier_message (id);
ALTER TABLE notifier_notification ALTER COLUMN body DROP NOT NULL;
ALTER TABLE notifier_notification ADD CONSTRAINT notifier_notification_body
    CHECK (body IS NOT NULL OR message_id IS NOT NULL);
CREATE INDEX notifier_notification_message ON notifier_notification (message_id) WHERE message_id IS NOT NULL;
