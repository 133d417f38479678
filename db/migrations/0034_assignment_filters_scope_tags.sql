CREATE TABLE "assignment_filters" (
	"tenant_id" uuid NOT NULL,
	"id" text NOT NULL,
	"display_name" text NOT NULL,
	"platform" text,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assignment_filters_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "scope_tags" (
	"tenant_id" uuid NOT NULL,
	"id" text NOT NULL,
	"display_name" text NOT NULL,
	"is_built_in" boolean DEFAULT false NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scope_tags_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "drift_baseline_entries" ADD COLUMN "filter_names" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "drift_baseline_entries" ADD COLUMN "scope_tag_names" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "assignment_filters" ADD CONSTRAINT "assignment_filters_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scope_tags" ADD CONSTRAINT "scope_tags_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignment_filters_tenant_name_idx" ON "assignment_filters" USING btree ("tenant_id",lower("display_name"));--> statement-breakpoint
CREATE INDEX "scope_tags_tenant_name_idx" ON "scope_tags" USING btree ("tenant_id",lower("display_name"));