-- Kuaixiang platform, part 1: accounts, catalogue, profiles, matching, audit, jobs.
-- One database for everything (R11). Personal data columns hold ciphertext (R14).

-- ───────────── accounts ─────────────
CREATE TABLE departments (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  short_name  text,
  region      text NOT NULL,
  level       text NOT NULL CHECK (level IN ('city', 'county')),
  kind        text NOT NULL,
  parent      text REFERENCES departments (code)
);

CREATE TABLE users (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username        text NOT NULL UNIQUE,
  display_name    text NOT NULL,
  role            text NOT NULL CHECK (role IN ('enterprise', 'resident', 'clerk', 'approver', 'payout', 'admin', 'leader')),
  department      text REFERENCES departments (code),
  entity_id       bigint,
  password_hash   text,
  oidc_subject    text UNIQUE,
  phone_enc       text,
  email           text,
  failed_logins   int NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  disabled        boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (role NOT IN ('clerk', 'approver', 'payout') OR department IS NOT NULL),
  CHECK (role NOT IN ('enterprise', 'resident') OR entity_id IS NOT NULL)
);

CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Tokens for source systems (connectors) and automation.
CREATE TABLE api_tokens (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_hash  text NOT NULL UNIQUE,
  name        text NOT NULL,
  source      text NOT NULL,
  created_by  bigint REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

-- ───────────── catalogue (R1, R12) ─────────────
CREATE TABLE documents (
  id              text PRIMARY KEY,
  title           text NOT NULL,
  number          text NOT NULL,
  issuers         text[] NOT NULL,
  published_on    date NOT NULL,
  summary         text NOT NULL DEFAULT '',
  interpretation  text NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE items (
  id                 text PRIMARY KEY,
  document_id        text NOT NULL REFERENCES documents (id),
  department         text NOT NULL REFERENCES departments (code),
  -- the version the public sees (null until first publication)
  published_version  int,
  latest_version     int NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX items_department ON items (department);

CREATE TABLE item_versions (
  item_id       text NOT NULL REFERENCES items (id),
  version       int NOT NULL,
  status        text NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'published', 'superseded', 'expired', 'withdrawn', 'rejected')),
  -- the PolicyItem as the engine reads it (AST + parameters + cases); canonical
  body          jsonb NOT NULL,
  title         text NOT NULL,
  audience      text NOT NULL,
  mode          text NOT NULL,
  region_scope  text[] NOT NULL,
  valid_from    date NOT NULL,
  valid_to      date,
  created_by    bigint REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  submitted_by  bigint REFERENCES users (id),
  submitted_at  timestamptz,
  approved_by   bigint REFERENCES users (id),
  approved_at   timestamptz,
  published_at  timestamptz,
  ended_at      timestamptz,
  note          text,
  PRIMARY KEY (item_id, version)
);
CREATE INDEX item_versions_status ON item_versions (status);

-- ───────────── profiles (R3) ─────────────
-- id is the entity number used in eligibility bitsets: dense, never reused.
CREATE TABLE entities (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind           text NOT NULL CHECK (kind IN ('enterprise', 'person')),
  -- keyed hash (blind index) of the 统一社会信用代码 or 身份证号: find without storing plaintext
  key_hash       text NOT NULL UNIQUE,
  display_name   text,
  region         text,
  -- current facts, JSON form; personal fields encrypted ({"enc": "…"})
  facts          jsonb NOT NULL DEFAULT '{}',
  version        int NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX entities_kind ON entities (kind);

-- Every fact ever received, with its source and as-of date: verdicts replay as of a date.
CREATE TABLE facts (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entity_id     bigint NOT NULL REFERENCES entities (id),
  field         text NOT NULL,
  value         jsonb,            -- null = the source says unknown; encrypted for personal fields
  source        text NOT NULL,
  as_of         date NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  import_id     bigint,
  record_ref    text
);
CREATE INDEX facts_entity_field ON facts (entity_id, field, as_of DESC, id DESC);

CREATE TABLE imports (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source        text NOT NULL,
  format        text NOT NULL CHECK (format IN ('csv', 'ndjson', 'xlsx', 'push')),
  filename      text,
  status        text NOT NULL CHECK (status IN ('running', 'applied', 'rejected', 'failed')),
  rows_total    int NOT NULL DEFAULT 0,
  rows_ok       int NOT NULL DEFAULT 0,
  rows_failed   int NOT NULL DEFAULT 0,
  report        jsonb NOT NULL DEFAULT '[]',
  created_by    bigint REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);

-- Idempotency of pushed records: (source, record id, version) is applied once.
CREATE TABLE pushed_records (
  source        text NOT NULL,
  record_id     text NOT NULL,
  record_version text NOT NULL,
  entity_id     bigint REFERENCES entities (id),
  received_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, record_id, record_version)
);

-- ───────────── matching (R4) ─────────────
-- The eligible and undetermined sets of one item version over the population, as
-- compressed bitsets of entity ids (zlib-deflated little-endian uint32 words).
CREATE TABLE item_sets (
  item_id             text NOT NULL,
  version             int NOT NULL,
  eligible            bytea NOT NULL,
  undetermined        bytea NOT NULL,
  eligible_count      int NOT NULL,
  undetermined_count  int NOT NULL,
  computed_at         timestamptz NOT NULL DEFAULT now(),
  as_of               date NOT NULL,
  run_id              bigint,
  PRIMARY KEY (item_id, version),
  FOREIGN KEY (item_id, version) REFERENCES item_versions (item_id, version)
);

-- Rows only for what acts: a new eligibility that will cause a notice or a grant, tied to
-- the item version and the profile version that produced it. Unique per cause.
CREATE TABLE match_events (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entity_id        bigint NOT NULL REFERENCES entities (id),
  item_id          text NOT NULL,
  item_version     int NOT NULL,
  profile_version  int NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('newly_eligible', 'newly_undetermined', 'no_longer_eligible')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (entity_id, item_id, item_version, kind, profile_version)
);
CREATE INDEX match_events_item ON match_events (item_id, item_version);

CREATE TABLE match_runs (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('full', 'item', 'entity', 'simulation')),
  status        text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  as_of         date NOT NULL,
  entities      int,
  items         int,
  progress      real NOT NULL DEFAULT 0,
  stats         jsonb NOT NULL DEFAULT '{}',
  started_at    timestamptz,
  finished_at   timestamptz,
  created_by    bigint REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- ───────────── jobs ─────────────
-- A PostgreSQL-backed queue any number of worker processes share (SKIP LOCKED).
CREATE TABLE jobs (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queue            text NOT NULL,
  payload          jsonb NOT NULL DEFAULT '{}',
  status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  idempotency_key  text UNIQUE,
  run_at           timestamptz NOT NULL DEFAULT now(),
  attempts         int NOT NULL DEFAULT 0,
  max_attempts     int NOT NULL DEFAULT 5,
  locked_by        text,
  locked_until     timestamptz,
  progress         real NOT NULL DEFAULT 0,
  result           jsonb,
  error            text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz
);
CREATE INDEX jobs_ready ON jobs (queue, run_at) WHERE status = 'queued';

-- ───────────── audit (R14) ─────────────
-- Append-only, hash-chained: each row's hash covers its content and the previous hash.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  action      text NOT NULL,
  subject     text NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
  detail      jsonb NOT NULL DEFAULT '{}',
  prev_hash   text NOT NULL,
  hash        text NOT NULL UNIQUE
);

CREATE TABLE settings (
  key    text PRIMARY KEY,
  value  jsonb NOT NULL
);
