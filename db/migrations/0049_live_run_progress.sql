-- Live progress in place (issue 15 §3): a change that is only progress (status and outcome unchanged)
-- also carries what the run's own page shows of it — the summary counts, how many failures are kept and
-- whether a cancel was requested — so that page updates its counts without a server render. Never the
-- failures' text, the inputs or anything else of the row. NOTIFY refuses payloads of 8000 bytes or more
-- (and the refusal would fail the write): counts whose JSON is longer than 2000 bytes are left out, and
-- the page refreshes instead. A malformed value never fails the write either (the `CASE`s).
CREATE OR REPLACE FUNCTION announce_run_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  progress boolean := TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.outcome IS NOT DISTINCT FROM NEW.outcome;
  payload jsonb := jsonb_build_object(
    'op', lower(TG_OP), 'id', NEW.id, 'tenantId', NEW.tenant_id, 'status', NEW.status, 'outcome', NEW.outcome,
    'type', NEW.type, 'initiatorKind', NEW.initiator_kind, 'initiatorUserId', NEW.initiator_user_id,
    'progress', progress);
BEGIN
  IF progress AND jsonb_typeof(NEW.summary_counts) = 'object' AND octet_length(NEW.summary_counts::text) <= 2000 THEN
    payload := payload || jsonb_build_object(
      'counts', NEW.summary_counts,
      'failureCount', CASE WHEN jsonb_typeof(NEW.failures) = 'array' THEN jsonb_array_length(NEW.failures) END,
      'cancelRequested', NEW.cancel_requested_at IS NOT NULL);
  END IF;
  PERFORM pg_notify('tenantatlas_runs', payload::text);
  RETURN NULL;
END;
$$;
