CREATE TABLE "backup_deletions" (
	"run_id" uuid NOT NULL,
	"backup_set_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"set_created_at" timestamp with time zone NOT NULL,
	"item_count" integer NOT NULL,
	"reason" text NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "backup_deletions_run_id_backup_set_id_pk" PRIMARY KEY("run_id","backup_set_id")
);
--> statement-breakpoint
CREATE TABLE "backup_pins" (
	"backup_set_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"pinned_by_user_id" uuid,
	"pinned_by_name" text NOT NULL,
	"pinned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "backup_retention" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"keep_days" integer,
	"keep_count" integer,
	"updated_by_name" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "backup_retention_days_positive" CHECK ("backup_retention"."keep_days" is null or "backup_retention"."keep_days" >= 1),
	CONSTRAINT "backup_retention_count_positive" CHECK ("backup_retention"."keep_count" is null or "backup_retention"."keep_count" >= 1)
);
--> statement-breakpoint
ALTER TABLE "backup_deletions" ADD CONSTRAINT "backup_deletions_run_id_operation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."operation_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_deletions" ADD CONSTRAINT "backup_deletions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_pins" ADD CONSTRAINT "backup_pins_backup_set_id_backup_sets_id_fk" FOREIGN KEY ("backup_set_id") REFERENCES "public"."backup_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_pins" ADD CONSTRAINT "backup_pins_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_pins" ADD CONSTRAINT "backup_pins_pinned_by_user_id_users_id_fk" FOREIGN KEY ("pinned_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_retention" ADD CONSTRAINT "backup_retention_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "backup_deletions_tenant_idx" ON "backup_deletions" USING btree ("tenant_id");