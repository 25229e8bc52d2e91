-- Parking in cdc mode (PostgreSQL only today; kept in step so that both schemas stay alike). The change stream cannot
-- leave the later messages of a parked key in the outbox table, so cdc mode keeps them here, status 'HELD', behind
-- their parked head. An operator's replay or skip is recorded in 'release_request' and carried out by the cdc leader.
ALTER TABLE ${outbox_table}_parked ADD COLUMN release_request varchar(8);
