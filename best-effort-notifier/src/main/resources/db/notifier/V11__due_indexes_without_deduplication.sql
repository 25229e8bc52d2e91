-- Notifications inserted in one transaction share their next_attempt_at (now() is the transaction's start), so an
-- endpoint's bulk of them has one key in the due indexes, and PostgreSQL's B-tree deduplication stores their entries
-- as posting lists of up to a few hundred row pointers. A scan marks an index entry dead only when every pointer in it
-- is dead: the endpoint's delivered notifications at the front of a posting list stayed in it, and every claim fetched
-- each one from the table again until a vacuum (./courier bench notifier, 100 endpoints, 30,000 notifications due at
-- once: 9,700 buffers per claim; 3,300 without deduplication, and the drain 38% faster). One entry per row lets each be
-- marked dead on its own, the first time a scan passes it. These indexes hold pending rows only, so the space
-- deduplication saved is small. REINDEX rebuilds the posting lists already there (a short write lock on a small index).
ALTER INDEX notifier_notification_first_due SET (deduplicate_items = off);
ALTER INDEX notifier_notification_retry_due SET (deduplicate_items = off);
REINDEX INDEX notifier_notification_first_due;
REINDEX INDEX notifier_notification_retry_due;
