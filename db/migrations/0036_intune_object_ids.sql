ALTER TABLE "backup_items" ALTER COLUMN "policy_id" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "drift_baseline_entries" ALTER COLUMN "policy_id" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "drift_findings" ALTER COLUMN "policy_id" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "policy_assignment_targets" ALTER COLUMN "policy_id" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "policies" ALTER COLUMN "id" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "policy_versions" ALTER COLUMN "policy_id" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "restore_items" ALTER COLUMN "created_policy_id" SET DATA TYPE text;