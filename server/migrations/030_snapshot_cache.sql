-- The columnar snapshot of the population, persisted (docs/decisions/0015): after a full load
-- from entities, a worker writes its columns — deflated, then sealed with the data key, since
-- they hold decrypted personal values — so that a process starting afresh reads them and
-- catches up instead of decoding every entity's facts again. One snapshot per database: the
-- head names the generation whose parts are current; a save writes a new generation and
-- deletes the others in the same transaction.
CREATE TABLE snapshot_cache (
  gen   text NOT NULL,
  part  int NOT NULL,
  -- ≤ 32 MB of deflated columns, encrypted: already incompressible, so not TOAST-compressed
  data  bytea NOT NULL,
  PRIMARY KEY (gen, part)
);
ALTER TABLE snapshot_cache ALTER COLUMN data SET STORAGE EXTERNAL;

CREATE TABLE snapshot_cache_head (
  id           int PRIMARY KEY CHECK (id = 1),
  gen          text NOT NULL,
  -- fields, column kinds and fixed code tables: a changed dictionary makes it unusable
  fingerprint  text NOT NULL,
  fields       text[] NOT NULL,
  rows         int NOT NULL,
  parts        int NOT NULL,
  bytes        bigint NOT NULL,
  -- database time of the full load from entities it descends from (used for a day at most)
  loaded_at    timestamptz NOT NULL,
  -- what Snapshot.catchUp continues from
  read_at      timestamptz NOT NULL,
  watermark    timestamptz,
  written_at   timestamptz NOT NULL DEFAULT now()
);
