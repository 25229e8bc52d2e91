-- Delivery presets per event type on an endpoint: a JSON object of event type patterns (exact, prefix.* or *) to
-- preset names. The most specific matching pattern decides a notification's retry schedule and acknowledgement; none
-- matching, the endpoint's own retry_profile and ack_matcher do.
ALTER TABLE notifier_endpoint ADD COLUMN presets_by_event_type JSONB NOT NULL DEFAULT '{}';
