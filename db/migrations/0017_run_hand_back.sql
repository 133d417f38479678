-- A worker that stops for a deploy hands its unfinished runs back: running -> queued, on the same
-- attempt (the hand-back spends none, and the next worker resumes that attempt), and only together
-- with the timeline line that says so. Every other way back to queued is still refused, so a late
-- or duplicate writer cannot move a run backwards.
CREATE OR REPLACE FUNCTION operation_runs_guard_transition() RETURNS trigger
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
  IF NEW.status = 'queued' AND OLD.status <> 'queued'
     AND NOT (OLD.status = 'running' AND NEW.attempt = OLD.attempt
              AND jsonb_array_length(NEW.attempt_errors) = jsonb_array_length(OLD.attempt_errors) + 1
              AND NEW.attempt_errors -> -1 ->> 'handedBack' = 'true'
              AND (NEW.attempt_errors -> -1 ->> 'attempt')::int = NEW.attempt) THEN
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
