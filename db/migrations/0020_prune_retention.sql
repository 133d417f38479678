CREATE TYPE "public"."initiator_kind" AS ENUM('user', 'schedule', 'system');--> statement-breakpoint
ALTER TABLE "operation_runs" ADD COLUMN "initiator_kind" "initiator_kind" DEFAULT 'user' NOT NULL;--> statement-breakpoint
CREATE INDEX "backup_items_policy_content_idx" ON "backup_items" USING btree ("tenant_id","policy_id","content_hash");--> statement-breakpoint
CREATE INDEX "backup_sets_run_idx" ON "backup_sets" USING btree ("run_id") WHERE run_id is not null;--> statement-breakpoint
CREATE INDEX "policy_versions_run_idx" ON "policy_versions" USING btree ("run_id") WHERE run_id is not null;--> statement-breakpoint
CREATE INDEX "notifications_tenant_oldest_idx" ON "notifications" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "intune_role_assignments_run_idx" ON "intune_role_assignments" USING btree ("run_id") WHERE run_id is not null;--> statement-breakpoint
ALTER TABLE "operation_runs" ADD CONSTRAINT "operation_runs_system_has_no_user" CHECK ("operation_runs"."initiator_kind" <> 'system' or "operation_runs"."initiator_user_id" is null);