-- An identity without its tenant cannot be named by (tid, oid): it is unlinked, and its user links it again.
DELETE FROM "user_identities" WHERE "tenant_guid" IS NULL;--> statement-breakpoint
UPDATE "user_identities" SET "tenant_guid" = lower("tenant_guid");--> statement-breakpoint
ALTER TABLE "user_identities" DROP CONSTRAINT "user_identities_provider_subject_pk";--> statement-breakpoint
ALTER TABLE "user_identities" ALTER COLUMN "tenant_guid" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "user_identities" ADD CONSTRAINT "user_identities_provider_tenant_guid_subject_pk" PRIMARY KEY("provider","tenant_guid","subject");