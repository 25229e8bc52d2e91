-- The W3C tracestate that came with a notification's traceparent (vendor trace data), carried on to its webhook
-- requests. At most 512 characters by the W3C spec; the intake drops longer ones.
ALTER TABLE notifier_notification ADD COLUMN tracestate VARCHAR(512);
