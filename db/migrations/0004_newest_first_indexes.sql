-- ORDER BY created_at DESC sorts NULLs first; an index built DESC NULLS LAST cannot deliver that
-- order, so the planner read every row of a tenant and sorted it. Rebuild the newest-first indexes
-- to match, and add one across tenants for the all-tenants runs list.
DROP INDEX "operation_runs_tenant_newest_idx";--> statement-breakpoint
DROP INDEX "notifications_user_newest_idx";--> statement-breakpoint
CREATE INDEX "operation_runs_newest_idx" ON "operation_runs" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "operation_runs_tenant_newest_idx" ON "operation_runs" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "notifications_user_newest_idx" ON "notifications" USING btree ("user_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);