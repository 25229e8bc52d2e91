-- Parking in cdc mode. The change stream cannot leave the later messages of a parked key in the outbox table (with
-- delete-after-insert they were never there), so cdc mode keeps them here, status 'HELD', behind their parked head.
-- An operator's replay or skip is recorded in 'release_request' and carried out by the cdc leader, in stream order.
ALTER TABLE ${outbox_table}_parked ADD COLUMN release_request varchar(8);

CREATE INDEX ${outbox_table}_parked_held ON ${outbox_table}_parked (aggregatetype, aggregateid, seq)
    WHERE status = 'HELD';
