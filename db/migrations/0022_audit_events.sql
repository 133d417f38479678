CREATE TYPE "public"."audit_outcome" AS ENUM('success', 'refused', 'failed');--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_kind" "initiator_kind" NOT NULL,
	"actor_user_id" uuid,
	"actor_name" text NOT NULL,
	"tenant_id" uuid,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"target_label" text,
	"outcome" "audit_outcome" NOT NULL,
	"client_address" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "audit_events_action_shape" CHECK ("audit_events"."action" ~ '^[a-z_]+(\.[a-z_]+)+$'),
	CONSTRAINT "audit_events_details_small" CHECK (octet_length("audit_events"."details"::text) <= 4096)
);
--> statement-breakpoint
CREATE INDEX "audit_events_tenant_newest_idx" ON "audit_events" USING btree ("tenant_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_tenant_action_newest_idx" ON "audit_events" USING btree ("tenant_id","action","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_tenant_actor_newest_idx" ON "audit_events" USING btree ("tenant_id","actor_name","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_own_newest_idx" ON "audit_events" USING btree ("actor_user_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE tenant_id is null;--> statement-breakpoint
-- The audit log is evidence: rows are added, never changed or removed (not even by tenant removal
-- or maintenance.prune). Removing history takes a migration that drops these triggers, on purpose.
CREATE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
