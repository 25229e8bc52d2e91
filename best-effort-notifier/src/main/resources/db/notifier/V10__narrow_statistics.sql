-- ANALYZE of the notification table (StatisticsKeeper runs it whenever a fifth of the rows changed) sampled 30,000 rows
-- and built statistics for every column, the 1 KB bodies and the headers included: 750 ms per run on a table of a few
-- hundred thousand rows, during which its snapshot kept the index entries of claimed rows from being marked dead, so
-- every claim walked them again. No statement filters or joins on these columns (the payload, the trace context, the
-- last error, the lease token, and the idempotency key, looked up only through its unique index): no statistics.
ALTER TABLE notifier_notification ALTER COLUMN body SET STATISTICS 0;
ALTER TABLE notifier_notification ALTER COLUMN headers SET STATISTICS 0;
ALTER TABLE notifier_notification ALTER COLUMN traceparent SET STATISTICS 0;
ALTER TABLE notifier_notification ALTER COLUMN tracestate SET STATISTICS 0;
ALTER TABLE notifier_notification ALTER COLUMN last_error SET STATISTICS 0;
ALTER TABLE notifier_notification ALTER COLUMN lease_owner SET STATISTICS 0;
ALTER TABLE notifier_notification ALTER COLUMN idempotency_key SET STATISTICS 0;
