-- 免申即享 grants (R5): exactly one grant per entity, item and period, keyed by the verdict
-- (match event) that caused it; a budget ledger per item and period that grant writers lock;
-- the stacking-group lock that makes 从高不重复 hold under concurrent runs; contests.
-- docs/decisions/0011-grants-exactly-once.md

CREATE TABLE grants (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entity_id       bigint NOT NULL REFERENCES entities (id),
  item_id         text NOT NULL REFERENCES items (id),
  item_version    int NOT NULL,
  -- the paying department (items.department when granted): payouts batch by it
  department      text NOT NULL REFERENCES departments (code),
  -- '2025' (period year), '2025-06' (month), 'once'
  period_key      text NOT NULL,
  -- what this grant pays: the item's amount, less what the stacking group already paid
  amount          numeric NOT NULL CHECK (amount >= 0),
  -- the item's own amount for the entity (the figure stacking compares)
  item_amount     numeric NOT NULL CHECK (item_amount >= 0),
  status          text NOT NULL CHECK (status IN ('pending_confirmation', 'granted', 'superseded', 'blocked_budget', 'blocked_quota',
                                                   'cancelled', 'batched', 'paid', 'payment_failed')),
  stacking_group  text,
  -- which facts, from which source, as of when: field names, sources, dates, references to
  -- the facts rows; values only of non-personal fields (never a sensitive value)
  evidence        jsonb NOT NULL DEFAULT '{}',
  -- the cause: the newly_eligible match event (null when the cause is the item's eligible set)
  match_event_id  bigint REFERENCES match_events (id),
  first_eligible_at timestamptz NOT NULL,
  superseded_by   bigint REFERENCES grants (id),
  confirmed_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (entity_id, item_id, period_key)
);
CREATE INDEX grants_item ON grants (item_id, period_key, status);
CREATE INDEX grants_department ON grants (department, status);
CREATE INDEX grants_stacking ON grants (entity_id, stacking_group, period_key) WHERE stacking_group IS NOT NULL;

-- What an item has committed in a period. Pending confirmations reserve their amount, so a
-- confirmation never finds the budget gone. Written in the transaction of the grants it
-- counts, under SELECT … FOR UPDATE: concurrent writers cannot overspend.
CREATE TABLE grant_ledger (
  item_id        text NOT NULL REFERENCES items (id),
  period_key     text NOT NULL,
  spent          numeric NOT NULL DEFAULT 0,
  granted_count  int NOT NULL DEFAULT 0,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (item_id, period_key)
);

-- One row per (stacking group, period): writers of any item of the group lock it first, so
-- two runs over two items of one group cannot both grant the same entity.
CREATE TABLE grant_group_locks (
  stacking_group  text NOT NULL,
  period_key      text NOT NULL,
  PRIMARY KEY (stacking_group, period_key)
);

-- An entity disputes its grant (amount or evidence). One per grant; the department is told.
CREATE TABLE grant_contests (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  grant_id    bigint NOT NULL UNIQUE REFERENCES grants (id),
  entity_id   bigint NOT NULL REFERENCES entities (id),
  user_id     bigint NOT NULL REFERENCES users (id),
  reason      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
