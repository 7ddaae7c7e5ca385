-- An auto grant's first two time-to-money events are its own columns (docs/decisions/0027):
-- `first_eligible` at first_eligible_at and, when the run granted it outright, `approved` at
-- the run's time. Writing them as two case_events rows cost more server time per grant than
-- the grant row and its notice together. Readers of the timeline read case_timeline: the
-- stored events and these two, in the same columns.

-- When the grant opened its case (the run's time). Null for a grant recorded as superseded on
-- arrival (a decision, not a case) and for grants written before this migration, whose events
-- are case_events rows.
ALTER TABLE grants ADD COLUMN opened_at timestamptz;
-- Granted by the run itself (not waiting for the entity's confirmation, whose `approved` event
-- the confirmation writes).
ALTER TABLE grants ADD COLUMN auto_approved boolean NOT NULL DEFAULT false;

CREATE VIEW case_timeline AS
  SELECT e.case_type, e.case_id, e.entity_id, e.item_id, e.item_version, e.department, e.event, e.step, e.at, e.detail
    FROM case_events e
  UNION ALL
  SELECT 'grant', g.id, g.entity_id, g.item_id, g.item_version, g.department, 'first_eligible', NULL, g.first_eligible_at, '{}'::jsonb
    FROM grants g WHERE g.opened_at IS NOT NULL
  UNION ALL
  SELECT 'grant', g.id, g.entity_id, g.item_id, g.item_version, g.department, 'approved', NULL, g.opened_at, '{"by":"auto"}'::jsonb
    FROM grants g WHERE g.opened_at IS NOT NULL AND g.auto_approved;
