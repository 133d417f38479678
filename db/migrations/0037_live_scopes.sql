-- Live updates per page (issue 15): each run change says what a page needs to decide whether it
-- shows that run — its type and initiator (the runs list's filters) — and whether it is only
-- progress (counts, failures, a cancel request: status and outcome unchanged), which only the run's
-- own page shows. Browsers still get ids and states only: /api/live filters on these fields.
CREATE OR REPLACE FUNCTION announce_run_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tenantatlas_runs', json_build_object(
    'op', lower(TG_OP), 'id', NEW.id, 'tenantId', NEW.tenant_id, 'status', NEW.status, 'outcome', NEW.outcome,
    'type', NEW.type, 'initiatorKind', NEW.initiator_kind, 'initiatorUserId', NEW.initiator_user_id,
    'progress', TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.outcome IS NOT DISTINCT FROM NEW.outcome)::text);
  RETURN NULL;
END;
$$;
