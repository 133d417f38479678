-- Progress in place, ordered by time: a progress announcement also carries when it was made (`at`, the
-- database's clock in milliseconds, as the run page's `renderedAt` is). A run page shows live counts
-- only when they are newer than its own render, so a refresh that read the run before the progress was
-- written (and arrived after it) no longer puts older counts back until the next announcement.
-- Otherwise the same as 0049_live_run_progress.sql.
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
      'cancelRequested', NEW.cancel_requested_at IS NOT NULL,
      'at', floor(extract(epoch from clock_timestamp()) * 1000));
  END IF;
  PERFORM pg_notify('tenantatlas_runs', payload::text);
  RETURN NULL;
END;
$$;
