-- Failed logins counted per typed username (its keyed hash), whether or not such a user
-- exists: the lockout then looks the same for every name and reveals no accounts (QA 14).
CREATE TABLE login_failures (
  name_hash    text PRIMARY KEY,
  failed       integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  updated_at   timestamptz NOT NULL
);
