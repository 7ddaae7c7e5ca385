-- Online applications (R6): started from a match, prefilled from the profile, reviewed by
-- department steps (sequential, or parallel within a group) each with a statutory deadline
-- in working days; reminders before and escalations after. docs/decisions/0012-review-workflow.md.

CREATE TABLE applications (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entity_id      bigint NOT NULL REFERENCES entities (id),
  item_id        text NOT NULL,
  item_version   int NOT NULL,
  -- the item's department: the one that pays (payout batches are per department)
  department     text NOT NULL REFERENCES departments (code),
  -- the item's period on the day the application was started: 'once', '2025' or '2025-09'
  period         text NOT NULL,
  status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'in_review', 'returned', 'approved', 'rejected', 'withdrawn', 'batched', 'paid', 'payment_failed')),
  -- prefilled facts: {"fields": {"<field>": {"value" | "enc", "source", "as_of", "declared_at"}}};
  -- personal values are ciphertext exactly as in entities.facts
  form           jsonb NOT NULL DEFAULT '{}',
  -- the verdict on the submitted form, for reviewers: explanation without personal values
  evidence       jsonb,
  -- the materials of the item and which are 零材料 (a source holds them)
  materials      jsonb NOT NULL DEFAULT '[]',
  amount         numeric(16, 2),
  -- how many times it was submitted (1 = first submission, 2 = after the first return …)
  round          int NOT NULL DEFAULT 0,
  submitted_at   timestamptz,
  decided_at     timestamptz,
  reason         text,
  created_by     bigint REFERENCES users (id),
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  FOREIGN KEY (item_id, item_version) REFERENCES item_versions (item_id, version)
);
-- One live application per entity, item and period: a retried "apply" finds the first one.
CREATE UNIQUE INDEX applications_open ON applications (entity_id, item_id, period) WHERE status NOT IN ('rejected', 'withdrawn');
CREATE INDEX applications_entity ON applications (entity_id, created_at DESC);
CREATE INDEX applications_payable ON applications (department, status) WHERE status IN ('approved', 'payment_failed');

-- The review steps of one application, copied from the item version when it is submitted.
CREATE TABLE application_steps (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  application_id  bigint NOT NULL REFERENCES applications (id),
  -- position in the item's review_steps
  seq             int NOT NULL,
  -- steps of one stage run in parallel; stage k+1 opens when all of stage k approved
  stage           int NOT NULL,
  name            text NOT NULL,
  department      text NOT NULL REFERENCES departments (code),
  days            int NOT NULL CHECK (days >= 0),
  status          text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'open', 'approved', 'returned', 'rejected', 'cancelled')),
  -- how many times the step has been opened (a return and a resubmission open it again)
  round           int NOT NULL DEFAULT 0,
  started_at      timestamptz,
  started_on      date,
  deadline        date,
  -- the working day from which the department is reminded
  remind_on       date,
  decided_at      timestamptz,
  decided_by      bigint REFERENCES users (id),
  decision_note   text,
  -- what a return asks the applicant to correct: {"fields": [...], "materials": [...]}
  corrections     jsonb,
  UNIQUE (application_id, seq)
);
CREATE INDEX application_steps_queue ON application_steps (department, status);
CREATE INDEX application_steps_open_deadline ON application_steps (deadline) WHERE status = 'open';

-- Uploaded materials. The content is stored encrypted in the database (not the data dir):
-- it commits with the application, every API process sees it, and backups carry it.
CREATE TABLE application_materials (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  application_id  bigint NOT NULL REFERENCES applications (id),
  -- the material's name in the item (材料名称)
  material        text NOT NULL,
  filename        text NOT NULL,
  -- what the content is (sniffed from its first bytes), not what the client said
  file_type       text NOT NULL CHECK (file_type IN ('pdf', 'jpg', 'png', 'ofd')),
  size            int NOT NULL,
  sha256          text NOT NULL,
  content_enc     text NOT NULL,
  uploaded_by     bigint REFERENCES users (id),
  uploaded_at     timestamptz NOT NULL,
  -- a new upload of the same material replaces the old one, which stays for the record
  replaced_at     timestamptz
);
CREATE INDEX application_materials_app ON application_materials (application_id, material);
