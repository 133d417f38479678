CREATE TYPE "public"."baseline_entry_origin" AS ENUM('backup', 'accepted');--> statement-breakpoint
CREATE TYPE "public"."drift_finding_kind" AS ENUM('changed', 'missing', 'new');--> statement-breakpoint
CREATE TABLE "drift_baseline_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"source_tenant_id" uuid NOT NULL,
	"family" "policy_family" NOT NULL,
	"name" text NOT NULL,
	"content" jsonb NOT NULL,
	"group_names" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"origin" "baseline_entry_origin" NOT NULL,
	"accepted_run_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drift_baselines" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"backup_set_id" uuid,
	"set_by" uuid,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drift_findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"kind" "drift_finding_kind" NOT NULL,
	"family" "policy_family" NOT NULL,
	"name" text NOT NULL,
	"policy_id" uuid,
	"baseline_entry_id" uuid,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"current_content" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "drift_baseline_entries" ADD CONSTRAINT "drift_baseline_entries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_baseline_entries" ADD CONSTRAINT "drift_baseline_entries_accepted_run_id_operation_runs_id_fk" FOREIGN KEY ("accepted_run_id") REFERENCES "public"."operation_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_baselines" ADD CONSTRAINT "drift_baselines_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_baselines" ADD CONSTRAINT "drift_baselines_backup_set_id_backup_sets_id_fk" FOREIGN KEY ("backup_set_id") REFERENCES "public"."backup_sets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_baselines" ADD CONSTRAINT "drift_baselines_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_findings" ADD CONSTRAINT "drift_findings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_findings" ADD CONSTRAINT "drift_findings_run_id_operation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."operation_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_findings" ADD CONSTRAINT "drift_findings_baseline_entry_id_drift_baseline_entries_id_fk" FOREIGN KEY ("baseline_entry_id") REFERENCES "public"."drift_baseline_entries"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "drift_baseline_entries_policy_key" ON "drift_baseline_entries" USING btree ("tenant_id","policy_id");--> statement-breakpoint
CREATE INDEX "drift_findings_run_idx" ON "drift_findings" USING btree ("run_id","kind","name");--> statement-breakpoint
CREATE INDEX "drift_findings_tenant_idx" ON "drift_findings" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "drift_findings_entry_idx" ON "drift_findings" USING btree ("baseline_entry_id") WHERE baseline_entry_id is not null;