-- A Kafka topic name has up to 249 characters: 'kafka:' + topic must fit. Widening a varchar changes only the catalog
-- in PostgreSQL (no table rewrite).
ALTER TABLE notifier_notification ALTER COLUMN source TYPE VARCHAR(256);
