-- An endpoint's current run of failed attempts: how many in a row, and since when (NULL while its last attempt
-- succeeded). Kept by the attempt writer; an endpoint failing for longer than courier.notifier.auto-disable-after is
-- disabled, with the reason on it.
ALTER TABLE notifier_endpoint ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifier_endpoint ADD COLUMN failing_since TIMESTAMPTZ;
