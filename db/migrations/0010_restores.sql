CREATE TYPE "public"."restore_item_status" AS ENUM('created', 'restored', 'failed');--> statement-breakpoint
CREATE TABLE "restore_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"backup_item_id" uuid,
	"family" "policy_family" NOT NULL,
	"name" text NOT NULL,
	"status" "restore_item_status" NOT NULL,
	"created_policy_id" uuid,
	"assigned_count" integer DEFAULT 0 NOT NULL,
	"skipped_count" integer DEFAULT 0 NOT NULL,
	"message" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "restore_items" ADD CONSTRAINT "restore_items_run_id_operation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."operation_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restore_items" ADD CONSTRAINT "restore_items_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "restore_items" ADD CONSTRAINT "restore_items_backup_item_id_backup_items_id_fk" FOREIGN KEY ("backup_item_id") REFERENCES "public"."backup_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "restore_items_run_item_idx" ON "restore_items" USING btree ("run_id","backup_item_id");--> statement-breakpoint
CREATE INDEX "restore_items_tenant_idx" ON "restore_items" USING btree ("tenant_id");