-- Appending to the audit chain in one round trip (decision 0030): lock the chain, read its
-- last hash, chain and insert the rows, all in one statement. Before, an append was five
-- round trips (BEGIN, lock, last hash, insert, COMMIT), and a read waited for them: 8 ms at
-- the median under load. The row hash is the one audit.ts's rowHash computes (and `kx audit
-- verify` recomputes): sha256 of the previous hash, a newline and the row's canonical JSON,
-- which the caller passes in (one canonical form, written once, in TypeScript).
CREATE FUNCTION audit_append(
  p_at text[], p_actor text[], p_action text[], p_subject text[], p_outcome text[], p_detail text[], p_canonical text[]
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  prev text;
  h text;
BEGIN
  PERFORM pg_advisory_xact_lock(4815162343);
  SELECT a.hash INTO prev FROM audit_log a ORDER BY a.id DESC LIMIT 1;
  prev := coalesce(prev, repeat('0', 64));
  FOR i IN 1 .. coalesce(array_length(p_at, 1), 0) LOOP
    h := encode(sha256(convert_to(prev || E'\n' || p_canonical[i], 'UTF8')), 'hex');
    INSERT INTO audit_log (at, actor, action, subject, outcome, detail, prev_hash, hash)
    VALUES (p_at[i]::timestamptz, p_actor[i], p_action[i], p_subject[i], p_outcome[i], p_detail[i]::jsonb, prev, h);
    prev := h;
  END LOOP;
END
$$;
