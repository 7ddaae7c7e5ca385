-- Catalogue, part 2: the document fields the policy-file format carries, the review
-- inbox of each department (expiry warnings now; part 2 of the service adds other notices),
-- and the index the public list reads by.

ALTER TABLE documents ADD COLUMN valid_from date;
ALTER TABLE documents ADD COLUMN valid_to date;
ALTER TABLE documents ADD COLUMN url text;

-- One row per thing a department must act on. dedup_key makes a scheduled task that runs
-- twice (or on two workers) write the notice once.
CREATE TABLE department_notices (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  department  text NOT NULL REFERENCES departments (code),
  kind        text NOT NULL,
  subject     text NOT NULL,
  title       text NOT NULL,
  body        text NOT NULL,
  detail      jsonb NOT NULL DEFAULT '{}',
  due_on      date,
  dedup_key   text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  read_at     timestamptz
);
CREATE INDEX department_notices_department ON department_notices (department, created_at DESC);

CREATE INDEX item_versions_valid_to ON item_versions (valid_to) WHERE status = 'published';
CREATE INDEX items_document ON items (document_id);
