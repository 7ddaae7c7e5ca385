-- A contested grant is resolved by its department: upheld (the grant is cancelled or its amount
-- corrected) or dismissed, with the reason the entity is told.
ALTER TABLE grant_contests
  ADD COLUMN status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'dismissed')),
  ADD COLUMN outcome       text CHECK (outcome IN ('cancelled', 'corrected')),
  ADD COLUMN old_amount    numeric,
  ADD COLUMN new_amount    numeric CHECK (new_amount >= 0),
  ADD COLUMN resolution    text,
  ADD COLUMN resolved_by   bigint REFERENCES users (id),
  ADD COLUMN resolved_at   timestamptz,
  ADD CHECK ((status = 'open') = (resolved_at IS NULL)),
  ADD CHECK ((status = 'upheld') = (outcome IS NOT NULL));
CREATE INDEX grant_contests_open ON grant_contests (status, created_at);
