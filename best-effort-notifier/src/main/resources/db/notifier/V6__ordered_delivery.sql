-- Ordered delivery per key. An endpoint with ordering set sends the deliveries of one ordering key one at a time, in
-- acceptance order: a delivery behind another pending one of its key is held, with next_attempt_at = 'infinity' (so
-- that no claim ever reads it), and released when the one ahead of it finishes. 'release': a delivery that gives up
-- releases the next; 'stop': it holds its key until it is redelivered.
ALTER TABLE notifier_endpoint ADD COLUMN ordering VARCHAR(16);
ALTER TABLE notifier_endpoint ADD CONSTRAINT notifier_endpoint_ordering CHECK (ordering IN ('release', 'stop'));

ALTER TABLE notifier_notification ADD COLUMN ordering_key VARCHAR(255);
ALTER TABLE notifier_message ADD COLUMN ordering_key VARCHAR(255);

-- The deliveries of a key still to go, in acceptance order: the head and the held ones behind it.
CREATE INDEX notifier_notification_key_pending ON notifier_notification (endpoint_id, ordering_key, feed_seq)
    WHERE ordering_key IS NOT NULL AND status = 'PENDING';
-- Given-up deliveries that stop their key on an endpoint in 'stop' mode.
CREATE INDEX notifier_notification_key_gave_up ON notifier_notification (endpoint_id, ordering_key, feed_seq)
    WHERE ordering_key IS NOT NULL AND status = 'GAVE_UP';
