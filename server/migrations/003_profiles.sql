-- Profiles, part 2: the provenance of each current fact, kept beside the facts so that an
-- import compares against the entity row alone (no history scan per row); the as-of date,
-- flagged rows and figures of each import for its report.

-- {"field": {"s": "<source>", "d": "YYYY-MM-DD"}} for every field the entity has been told.
ALTER TABLE entities ADD COLUMN provenance jsonb NOT NULL DEFAULT '{}';

ALTER TABLE imports ADD COLUMN as_of date;
ALTER TABLE imports ADD COLUMN rows_flagged int NOT NULL DEFAULT 0;
-- entities created / changed, history rows written, seconds taken
ALTER TABLE imports ADD COLUMN stats jsonb NOT NULL DEFAULT '{}';
