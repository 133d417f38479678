-- A tenant GUID is held only by a registration whose app signed in to it (issue 12): unverified
-- registrations may share a GUID and claim nothing. Today's verified tenants keep their claim (the
-- old unique index guarantees at most one per GUID).
ALTER TABLE "tenants" ADD COLUMN "guid_claimed_at" timestamp with time zone;--> statement-breakpoint
UPDATE "tenants" SET "guid_claimed_at" = coalesce("verified_at", "created_at") WHERE "verification_status" = 'verified';--> statement-breakpoint
DROP INDEX "tenants_tenant_guid_key";--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_claimed_guid_key" ON "tenants" USING btree ("tenant_guid") WHERE guid_claimed_at is not null;--> statement-breakpoint
CREATE INDEX "tenants_tenant_guid_idx" ON "tenants" USING btree ("tenant_guid");--> statement-breakpoint
-- The settings page shows when the secret was set; existing secrets date from their registration.
ALTER TABLE "tenants" ADD COLUMN "client_secret_set_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
UPDATE "tenants" SET "client_secret_set_at" = "created_at";
