-- Precise push (R8): the inbox table is the outbox. A notice row is written in the same
-- transaction as its cause; the dispatcher fans undispatched rows out into deliveries (one
-- per notice × channel × target) by the recipient's preferences, in one transaction with the
-- marker, then sends each delivery with its id as the idempotency key (docs/decisions/0017).

-- Variables of the notice for the templates (amount, days, status …; never personal data).
ALTER TABLE inbox ADD COLUMN data jsonb NOT NULL DEFAULT '{}';
-- When the notice was fanned out into deliveries (null: not yet).
ALTER TABLE inbox ADD COLUMN dispatched_at timestamptz;
-- Notices written before push existed stay in the inbox only.
UPDATE inbox SET dispatched_at = created_at;
CREATE INDEX inbox_undispatched ON inbox (id) WHERE dispatched_at IS NULL;

-- The event kind of a notice kind (the writers name their notices finely; rules and
-- templates speak of eight events).
CREATE FUNCTION push_event_kind(k text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN k IN ('newly_eligible', 'auto_grant', 'missing_fact', 'application_status', 'review_deadline', 'payout_made', 'closing_soon', 'weekly_digest') THEN k
    WHEN k IN ('grant', 'grant_confirm') THEN 'auto_grant'
    WHEN k LIKE 'application.%' THEN 'application_status'
    WHEN k LIKE 'deadline.%' OR k = 'grant_contest' OR k = 'grant_budget_exhausted' THEN 'review_deadline'
    WHEN k IN ('paid', 'payment_failed') OR k LIKE 'payout%' THEN 'payout_made'
    ELSE 'other' END
$$;

-- The party a notice is for: an entity (its resident or its enterprise's accounts) or a
-- department's desk. Preferences, contacts and quiet hours belong to the party.
CREATE FUNCTION push_party(entity bigint, dept text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN entity IS NOT NULL THEN 'entity:' || entity ELSE 'dept:' || dept END
$$;

CREATE TABLE push_deliveries (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  notice_id        bigint NOT NULL REFERENCES inbox (id),
  channel          text NOT NULL CHECK (channel IN ('webpush', 'email', 'sms', 'webhook')),
  -- '' for one-address channels; the subscription (web push) or the endpoint (webhook) id
  target           text NOT NULL DEFAULT '',
  party            text NOT NULL,
  event_kind       text NOT NULL,
  state            text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
  attempts         int NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  lease_until      timestamptz,
  last_error       text,
  -- why a delivery waits: 'quiet_hours' | 'rate_limit' | 'retry' (null: due)
  deferred         text,
  provider_id      text,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  sent_at          timestamptz,
  finished_at      timestamptz,
  UNIQUE (notice_id, channel, target)
);
CREATE INDEX push_deliveries_due ON push_deliveries (next_attempt_at, id) WHERE state IN ('queued', 'sending');
CREATE INDEX push_deliveries_party ON push_deliveries (party, channel, sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX push_deliveries_state ON push_deliveries (channel, state);

-- Opt-in / opt-out per party, channel and event kind ('*' = every kind). Without a row the
-- defaults apply: web push on, e-mail on when there is an address, SMS for money and
-- deadline events only.
CREATE TABLE push_preferences (
  party       text NOT NULL,
  channel     text NOT NULL CHECK (channel IN ('webpush', 'email', 'sms')),
  event_kind  text NOT NULL,
  enabled     boolean NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (party, channel, event_kind)
);

-- Addresses, encrypted (crypto/fields.ts); shown masked.
CREATE TABLE push_contacts (
  party       text NOT NULL,
  channel     text NOT NULL CHECK (channel IN ('email', 'sms')),
  address_enc text NOT NULL,
  locale      text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (party, channel)
);

CREATE TABLE push_subscriptions (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  party         text NOT NULL,
  user_id       bigint REFERENCES users (id) ON DELETE CASCADE,
  endpoint_hash text NOT NULL UNIQUE,
  -- the PushSubscription JSON (endpoint and keys), encrypted: the endpoint identifies a device
  subscription_enc text NOT NULL,
  locale        text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
  created_at    timestamptz NOT NULL,
  revoked_at    timestamptz
);
CREATE INDEX push_subscriptions_party ON push_subscriptions (party) WHERE revoked_at IS NULL;

-- Source systems that want events as signed webhooks.
CREATE TABLE push_webhooks (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source       text NOT NULL,
  url          text NOT NULL,
  secret_enc   text NOT NULL,
  event_kinds  text[] NOT NULL,
  active       boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL
);

-- Quiet hours per party (local time of the zone); without a row 22:00–08:00 Asia/Shanghai
-- for SMS and web push. E-mail and the inbox are never held back.
CREATE TABLE push_quiet_hours (
  party     text PRIMARY KEY,
  starts    time NOT NULL,
  ends      time NOT NULL,
  time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
  channels  text[] NOT NULL DEFAULT '{sms,webpush}',
  enabled   boolean NOT NULL DEFAULT true
);

-- Templates per event kind and locale, with {{variables}}; defaults live in the code.
CREATE TABLE push_templates (
  event_kind  text NOT NULL,
  locale      text NOT NULL CHECK (locale IN ('zh-CN', 'en')),
  title       text NOT NULL,
  body        text NOT NULL,
  updated_by  bigint REFERENCES users (id),
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (event_kind, locale)
);

-- New notices wake the live inbox (server-sent events) and the dispatcher: one
-- notification per statement, whatever the number of rows (a batch of 100,000 notices
-- sends one), on PostgreSQL and on PGlite alike.
CREATE FUNCTION push_inbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('kx_inbox', '');
  RETURN NULL;
END $$;
CREATE TRIGGER inbox_notify AFTER INSERT ON inbox FOR EACH STATEMENT EXECUTE FUNCTION push_inbox_notify();
