-- Matching, part 2 (docs/decisions/0010): per-entity overlays over the batch sets, and the
-- indexes the matching jobs read by.

-- The verdicts of one entity from its last on-change evaluation, for every item in force at
-- that time: {"item_id": version} of the eligible and the undetermined items. An overlay
-- newer than an item's set (computed_at) replaces the entity's bits in that set; a full run
-- deletes the overlays its snapshot already covers. One row per changed entity, never one
-- per (entity, item) pair.
CREATE TABLE match_deltas (
  entity_id        bigint PRIMARY KEY REFERENCES entities (id),
  profile_version  int NOT NULL,
  as_of            date NOT NULL,
  eligible         jsonb NOT NULL DEFAULT '{}',
  undetermined     jsonb NOT NULL DEFAULT '{}',
  -- when the facts it was computed from were read (database clock)
  computed_at      timestamptz NOT NULL
);
CREATE INDEX match_deltas_computed ON match_deltas (computed_at);
-- "which changed entities are eligible for item X": eligible ? 'X'
CREATE INDEX match_deltas_eligible ON match_deltas USING gin (eligible);

-- The newest set of an item, and the sets changed since a worker last looked.
CREATE INDEX item_sets_computed ON item_sets (computed_at);

-- A warm snapshot catches up on the entities changed since it was loaded.
CREATE INDEX IF NOT EXISTS entities_updated_at ON entities (updated_at);

-- The catalogue epoch (count and newest publication of the versions in force) from the index.
CREATE INDEX item_versions_in_force ON item_versions (published_at) WHERE status = 'published';
