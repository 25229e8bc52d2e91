-- Two lanes of due work per endpoint: first attempts of a round (fresh notifications, redeliveries) and retries. A
-- claim reads both ranges, so fresh notifications never wait behind an endpoint's overdue retries, and retries get at
-- most their share of an instance's requests in flight. A row is in one of the two partial indexes at a time, so
-- splitting costs no extra write.
CREATE INDEX notifier_notification_first_due ON notifier_notification (endpoint_id, next_attempt_at)
    WHERE status = 'PENDING' AND round_attempts = 0;
CREATE INDEX notifier_notification_retry_due ON notifier_notification (endpoint_id, next_attempt_at)
    WHERE status = 'PENDING' AND round_attempts > 0;
DROP INDEX notifier_notification_endpoint_due;
