CREATE TABLE "intune_role_assignments" (
	"tenant_id" uuid NOT NULL,
	"id" text NOT NULL,
	"display_name" text NOT NULL,
	"role_definition_id" text NOT NULL,
	"members" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"scope_members" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"run_id" uuid,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "intune_role_assignments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "intune_role_definitions" (
	"tenant_id" uuid NOT NULL,
	"id" text NOT NULL,
	"display_name" text NOT NULL,
	"description" text,
	"is_built_in" boolean DEFAULT false NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "intune_role_definitions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "intune_role_assignments" ADD CONSTRAINT "intune_role_assignments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intune_role_assignments" ADD CONSTRAINT "intune_role_assignments_run_id_operation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."operation_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intune_role_definitions" ADD CONSTRAINT "intune_role_definitions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;