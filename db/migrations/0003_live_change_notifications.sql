-- Live updates: every change to a run or a notification is announced with NOTIFY (delivered at
-- commit). Web servers hold one LISTEN connection each and fan the events out to browsers (SSE).
CREATE FUNCTION announce_run_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tenantatlas_runs', json_build_object(
    'op', lower(TG_OP), 'id', NEW.id, 'tenantId', NEW.tenant_id, 'status', NEW.status, 'outcome', NEW.outcome)::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER operation_runs_announce
  AFTER INSERT OR UPDATE ON operation_runs
  FOR EACH ROW EXECUTE FUNCTION announce_run_change();
--> statement-breakpoint
CREATE FUNCTION announce_notification_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tenantatlas_notifications', json_build_object('userId', NEW.user_id)::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER notifications_announce
  AFTER INSERT OR UPDATE ON notifications
  FOR EACH ROW EXECUTE FUNCTION announce_notification_change();
