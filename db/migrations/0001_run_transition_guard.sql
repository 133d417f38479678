-- Run lifecycle rules, enforced by the database so that no writer (a late worker, a duplicate
-- delivery, a hand-written UPDATE) can move a run backwards or change a finished one.
--   queued -> running -> completed, queued -> completed (cancel, dispatch failure)
--   completed rows are final (only the initiator link may be cleared when a user is deleted)
CREATE FUNCTION operation_runs_guard_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'completed' THEN
    IF (to_jsonb(NEW) - 'initiator_user_id' - 'updated_at')
       IS DISTINCT FROM (to_jsonb(OLD) - 'initiator_user_id' - 'updated_at') THEN
      RAISE EXCEPTION 'operation run % is completed and cannot change', OLD.id
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.status = 'queued' AND OLD.status <> 'queued' THEN
    RAISE EXCEPTION 'operation run % cannot move from % back to queued', OLD.id, OLD.status
      USING ERRCODE = 'check_violation';
  END IF;
  IF (NEW.status = 'completed') <> (NEW.outcome <> 'pending') THEN
    RAISE EXCEPTION 'operation run %: outcome % does not fit status %', OLD.id, NEW.outcome, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER operation_runs_guard_transition
  BEFORE UPDATE ON operation_runs
  FOR EACH ROW EXECUTE FUNCTION operation_runs_guard_transition();
