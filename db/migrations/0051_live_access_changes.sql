-- A change to what a person may see ends their live streams at once (they ran on for up to five
-- minutes, still carrying a removed tenant's run changes): a membership removed, the sessions revoked
-- (`session_epoch` raised, as "sign out everywhere" does) or the account deleted. The stream's page
-- reconnects by itself and is authorized anew. The payload is the user's id only.
CREATE OR REPLACE FUNCTION announce_access_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- TG_ARGV[0] names the column holding the user's id (user_id on memberships, id on users).
  PERFORM pg_notify('tenantatlas_access', jsonb_build_object('userId', to_jsonb(OLD) ->> TG_ARGV[0])::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER tenant_memberships_announce_access AFTER DELETE ON tenant_memberships
  FOR EACH ROW EXECUTE FUNCTION announce_access_change('user_id');
--> statement-breakpoint
-- UPDATE OF fires whenever the column is set, even to its value: only a real change is announced.
CREATE TRIGGER users_announce_sessions_revoked AFTER UPDATE OF session_epoch ON users
  FOR EACH ROW WHEN (OLD.session_epoch IS DISTINCT FROM NEW.session_epoch)
  EXECUTE FUNCTION announce_access_change('id');
--> statement-breakpoint
CREATE TRIGGER users_announce_deleted AFTER DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION announce_access_change('id');
