CREATE TABLE "entra_groups" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"display_name" text NOT NULL,
	"description" text,
	"mail" text,
	"group_types" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"security_enabled" boolean DEFAULT false NOT NULL,
	"mail_enabled" boolean DEFAULT false NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entra_groups_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "tenant_directory_state" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"groups_delta_link" text,
	"groups_synced_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "entra_groups" ADD CONSTRAINT "entra_groups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_directory_state" ADD CONSTRAINT "tenant_directory_state_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entra_groups_tenant_name_idx" ON "entra_groups" USING btree ("tenant_id",lower("display_name"),"id") WHERE not deleted;