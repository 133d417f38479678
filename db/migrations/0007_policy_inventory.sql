CREATE TYPE "public"."policy_family" AS ENUM('device_configuration', 'compliance', 'settings_catalog');--> statement-breakpoint
CREATE TABLE "policies" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"family" "policy_family" NOT NULL,
	"name" text NOT NULL,
	"platform" text NOT NULL,
	"odata_type" text NOT NULL,
	"assigned" boolean NOT NULL,
	"content" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"versions" integer NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"last_seen_run_id" uuid,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policies_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "policy_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"content_hash" text NOT NULL,
	"content" jsonb NOT NULL,
	"run_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "policies" ADD CONSTRAINT "policies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_run_id_operation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."operation_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "policies_tenant_name_idx" ON "policies" USING btree ("tenant_id",lower("name"),"id");--> statement-breakpoint
CREATE UNIQUE INDEX "policy_versions_policy_version_key" ON "policy_versions" USING btree ("tenant_id","policy_id","version");