-- CDC mode (courier.relay.mode=cdc). Harmless for polling mode: a publication costs nothing until a replication
-- slot reads it.

-- Only inserts are decoded: the relay's own deletes of published rows (and outbox-lib's delete-after-insert option)
-- produce no change events.
CREATE PUBLICATION ${outbox_table}_publication FOR TABLE ${outbox_table} WITH (publish = 'insert');

-- Debezium's offsets (the replication position) per engine, written only after Kafka acknowledged every event up to
-- that position. Key and value are Debezium's JSON, readable for operators.
CREATE TABLE ${outbox_table}_cdc_offset (
    offset_key   text        NOT NULL,
    offset_value text,
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT ${outbox_table}_cdc_offset_pk PRIMARY KEY (offset_key)
);
