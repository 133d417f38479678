ALTER TABLE "tenants" ADD COLUMN "app_permissions" jsonb;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "permission_gaps" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "intune_status" text;