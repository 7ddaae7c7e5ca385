-- Part 2 shared ground: the inbox (until the push issue brings channels), the holiday
-- calendar for statutory working-day deadlines, and the time-to-money events every case
-- writes (first eligible → notified → applied → each review step → approved → paid).

-- A notice to an entity or a department, written in the same transaction as its cause.
CREATE TABLE inbox (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entity_id     bigint REFERENCES entities (id),
  department    text REFERENCES departments (code),
  kind          text NOT NULL,
  title         text NOT NULL,
  body          text NOT NULL,
  -- what caused it, unique: a repeated cause writes no second notice
  cause_key     text NOT NULL UNIQUE,
  item_id       text,
  case_type     text,
  case_id       bigint,
  created_at    timestamptz NOT NULL DEFAULT now(),
  read_at       timestamptz,
  CHECK (entity_id IS NOT NULL OR department IS NOT NULL)
);
CREATE INDEX inbox_entity ON inbox (entity_id, created_at DESC);
CREATE INDEX inbox_department ON inbox (department, created_at DESC);

-- Public holidays and adjusted working days (调休) of the calendar used for 承诺时限.
CREATE TABLE calendar_days (
  day      date PRIMARY KEY,
  working  boolean NOT NULL,
  note     text NOT NULL DEFAULT ''
);

-- Every step of every case, for the time-to-money report (R7).
CREATE TABLE case_events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_type     text NOT NULL CHECK (case_type IN ('grant', 'application')),
  case_id       bigint NOT NULL,
  entity_id     bigint NOT NULL REFERENCES entities (id),
  item_id       text NOT NULL,
  item_version  int NOT NULL,
  department    text NOT NULL,
  event         text NOT NULL CHECK (event IN ('first_eligible', 'notified', 'confirmed', 'applied', 'step_started', 'step_done', 'returned', 'resubmitted', 'approved', 'rejected', 'batched', 'paid', 'payment_failed', 'escalated')),
  step          text,
  at            timestamptz NOT NULL,
  detail        jsonb NOT NULL DEFAULT '{}',
  -- one event per (case, event, step, attempt): replays and restarts do not double it
  dedupe_key    text NOT NULL UNIQUE
);
CREATE INDEX case_events_case ON case_events (case_type, case_id, at);
CREATE INDEX case_events_item ON case_events (item_id, event);
