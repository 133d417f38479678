-- Backups are evidence: an item never changes, and a completed set never changes (only its run
-- link may be cleared when the run is deleted with its tenant).
CREATE FUNCTION backup_items_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'backup item % is immutable', OLD.id USING ERRCODE = 'check_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER backup_items_immutable BEFORE UPDATE ON backup_items
  FOR EACH ROW EXECUTE FUNCTION backup_items_immutable();
--> statement-breakpoint
CREATE FUNCTION backup_sets_final() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.completed_at IS NOT NULL
     AND (to_jsonb(NEW) - 'run_id') IS DISTINCT FROM (to_jsonb(OLD) - 'run_id') THEN
    RAISE EXCEPTION 'backup set % is complete and cannot change', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER backup_sets_final BEFORE UPDATE ON backup_sets
  FOR EACH ROW EXECUTE FUNCTION backup_sets_final();
