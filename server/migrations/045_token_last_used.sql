-- When a source token last authenticated a call (at most once a minute), for the token list.
ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz;
