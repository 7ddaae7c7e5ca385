-- Payouts (R7): approved applications and granted grants become payment batches per
-- department; the batch is exported for the finance system, the bank answers line by line,
-- and the answers are reconciled. See docs/decisions/0013-payouts.md.

CREATE TABLE payout_batches (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  department    text NOT NULL REFERENCES departments (code),
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'exported', 'reconciled', 'partially_failed')),
  created_by    bigint REFERENCES users (id),
  created_at    timestamptz NOT NULL,
  -- first export: the batch is "out" from then on; later downloads do not move it
  exported_at   timestamptz,
  exported_by   bigint REFERENCES users (id),
  -- the last file handed out (every export is in the audit log with its own hash)
  file_sha256   text,
  file_format   text CHECK (file_format IN ('csv', 'xlsx')),
  -- fixed when the batch is made; answers are summed from the lines (one source of truth)
  line_count    int NOT NULL DEFAULT 0,
  total_amount  numeric(16, 2) NOT NULL DEFAULT 0,
  reconciled_at timestamptz
);
CREATE INDEX payout_batches_department ON payout_batches (department, created_at DESC);

-- One line per payment attempt of a case. attempt 1 is the first; a failed line stays as it
-- was (the bank's answer is history) and the case is batched again as attempt 2, 3 …
CREATE TABLE payout_lines (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  batch_id        bigint NOT NULL REFERENCES payout_batches (id),
  case_type       text NOT NULL CHECK (case_type IN ('grant', 'application')),
  case_id         bigint NOT NULL,
  attempt         int NOT NULL DEFAULT 1 CHECK (attempt >= 1),
  entity_id       bigint NOT NULL REFERENCES entities (id),
  item_id         text NOT NULL,
  item_version    int NOT NULL,
  department      text NOT NULL,
  -- ciphertext (ctx.crypto): the name and the account leave in clear only in the export file
  payee_enc       text NOT NULL,
  account_enc     text NOT NULL,
  amount          numeric(16, 2) NOT NULL CHECK (amount > 0),
  -- what the bank echoes back: derived from the case and the attempt, so it is stable
  reference       text NOT NULL UNIQUE,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'exported', 'paid', 'failed')),
  bank_ref        text,
  failure_reason  text,
  paid_at         date,
  answered_at     timestamptz,
  created_at      timestamptz NOT NULL,
  -- the idempotency key of a line: its cause (the case) and which attempt it is
  UNIQUE (case_type, case_id, attempt),
  CHECK (status <> 'failed' OR failure_reason IS NOT NULL),
  CHECK (status <> 'paid' OR paid_at IS NOT NULL)
);
-- A case is paid once: at most one line of a case is alive (pending, exported or paid) at any
-- time. Two officers making batches at the same moment meet here; the second insert waits
-- for the first transaction and then does nothing.
CREATE UNIQUE INDEX payout_lines_one_live ON payout_lines (case_type, case_id) WHERE status <> 'failed';
CREATE INDEX payout_lines_batch ON payout_lines (batch_id, id);
