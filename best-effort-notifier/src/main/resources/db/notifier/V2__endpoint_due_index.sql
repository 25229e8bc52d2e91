-- Each endpoint's pending notifications, oldest due first. A claim reads every endpoint's range up to what that
-- endpoint could take, so its cost follows the number of endpoints, not the size of the backlog. It replaces the
-- index of all due notifications: with both present, a planner with stale statistics (a table analyzed while nearly
-- empty, then filled at once) picked the global one for a single endpoint's rows and read every due row per claim.
CREATE INDEX notifier_notification_endpoint_due ON notifier_notification (endpoint_id, next_attempt_at)
    WHERE status = 'PENDING';
DROP INDEX notifier_notification_due;
