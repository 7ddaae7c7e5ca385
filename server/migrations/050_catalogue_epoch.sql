-- The catalogue epoch: every matches request and every entity job compares it with the
-- catalogue compiled in memory. It was computed on each read by counting the published
-- versions (count and max(published_at) over item_versions: ≈ 3 ms of PostgreSQL time per
-- request at 2,728 items, planning included). Now a counter in settings, bumped in the
-- transaction of any change that touches a published version (published, superseded,
-- withdrawn, expired, or its row edited), so a read is one primary-key lookup.
INSERT INTO settings (key, value) VALUES ('catalogue_epoch', '1'::jsonb) ON CONFLICT (key) DO NOTHING;

CREATE FUNCTION bump_catalogue_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO settings (key, value) VALUES ('catalogue_epoch', '1'::jsonb)
  ON CONFLICT (key) DO UPDATE SET value = to_jsonb((settings.value #>> '{}')::bigint + 1);
  RETURN NULL;
END
$$;

CREATE TRIGGER item_versions_epoch_insert AFTER INSERT ON item_versions
  FOR EACH ROW WHEN (NEW.status = 'published') EXECUTE FUNCTION bump_catalogue_epoch();
CREATE TRIGGER item_versions_epoch_update AFTER UPDATE ON item_versions
  FOR EACH ROW WHEN (OLD.status = 'published' OR NEW.status = 'published') EXECUTE FUNCTION bump_catalogue_epoch();
CREATE TRIGGER item_versions_epoch_delete AFTER DELETE ON item_versions
  FOR EACH ROW WHEN (OLD.status = 'published') EXECUTE FUNCTION bump_catalogue_epoch();
