-- The runs list's and overview's reads (issue 15). The new indexes are built first and the old one
-- dropped last: a build blocks only writes to operation_runs, while DROP INDEX locks the table
-- against reads too, so that lock is held for a moment at the end, not for the builds.
CREATE INDEX "operation_runs_tenant_newest_covering_idx" ON "operation_runs" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST,"status","outcome");--> statement-breakpoint
CREATE INDEX "operation_runs_tenant_type_newest_idx" ON "operation_runs" USING btree ("tenant_id","type","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "operation_runs_tenant_status_newest_idx" ON "operation_runs" USING btree ("tenant_id","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
DROP INDEX "operation_runs_tenant_newest_idx";
