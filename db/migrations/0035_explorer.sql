CREATE TYPE "public"."assignment_target_kind" AS ENUM('group', 'exclusion_group', 'all_users', 'all_devices', 'other');--> statement-breakpoint
CREATE TABLE "group_member_groups" (
	"tenant_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"member_group_id" uuid NOT NULL,
	CONSTRAINT "group_member_groups_tenant_id_group_id_member_group_id_pk" PRIMARY KEY("tenant_id","group_id","member_group_id")
);
--> statement-breakpoint
CREATE TABLE "policy_assignment_targets" (
	"tenant_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"policy_name" text NOT NULL,
	"family" text NOT NULL,
	"platform" text NOT NULL,
	"kind" "assignment_target_kind" NOT NULL,
	"odata_type" text NOT NULL,
	"group_id" uuid,
	"filter_id" text,
	"filter_type" text,
	CONSTRAINT "policy_assignment_targets_tenant_id_policy_id_position_pk" PRIMARY KEY("tenant_id","policy_id","position")
);
--> statement-breakpoint
ALTER TABLE "tenant_directory_state" ADD COLUMN "groups_delta_tracks_members" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "group_member_groups" ADD CONSTRAINT "group_member_groups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_assignment_targets" ADD CONSTRAINT "policy_assignment_targets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "group_member_groups_member_idx" ON "group_member_groups" USING btree ("tenant_id","member_group_id");--> statement-breakpoint
CREATE INDEX "policy_assignment_targets_group_idx" ON "policy_assignment_targets" USING btree ("tenant_id","group_id") WHERE group_id is not null;--> statement-breakpoint
CREATE INDEX "policy_assignment_targets_everyone_idx" ON "policy_assignment_targets" USING btree ("tenant_id","policy_name","policy_id") WHERE kind in ('all_users', 'all_devices');--> statement-breakpoint
CREATE INDEX "entra_groups_name_prefix_idx" ON "entra_groups" USING btree ("tenant_id",(lower("display_name") collate "C"),"id") WHERE not deleted;--> statement-breakpoint
-- ── Hand-written (carry over on renumbering): fill the assignment projection from the live
-- policies already in the inventory, as lib/explorer/assignment-targets.ts derives it. ──
INSERT INTO "policy_assignment_targets" ("tenant_id", "policy_id", "position", "policy_name", "family", "platform", "kind", "odata_type", "group_id", "filter_id", "filter_type")
SELECT p.tenant_id, p.id, (a.ordinality - 1)::integer, p.name, p.family::text, p.platform,
  (CASE a.value->'target'->>'@odata.type'
    WHEN '#microsoft.graph.groupAssignmentTarget' THEN 'group'
    WHEN '#microsoft.graph.exclusionGroupAssignmentTarget' THEN 'exclusion_group'
    WHEN '#microsoft.graph.allLicensedUsersAssignmentTarget' THEN 'all_users'
    WHEN '#microsoft.graph.allDevicesAssignmentTarget' THEN 'all_devices'
    ELSE 'other' END)::"assignment_target_kind",
  left(coalesce(a.value->'target'->>'@odata.type', ''), 200),
  CASE WHEN a.value->'target'->>'groupId' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    THEN (a.value->'target'->>'groupId')::uuid END,
  CASE WHEN coalesce(a.value->'target'->>'deviceAndAppManagementAssignmentFilterId', '') <> ''
    AND coalesce(a.value->'target'->>'deviceAndAppManagementAssignmentFilterType', '') <> 'none'
    THEN left(a.value->'target'->>'deviceAndAppManagementAssignmentFilterId', 100) END,
  CASE WHEN coalesce(a.value->'target'->>'deviceAndAppManagementAssignmentFilterId', '') <> ''
    AND coalesce(a.value->'target'->>'deviceAndAppManagementAssignmentFilterType', '') <> 'none'
    THEN left(coalesce(nullif(a.value->'target'->>'deviceAndAppManagementAssignmentFilterType', ''), 'include'), 20) END
FROM "policies" p
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(p.content->'assignments') = 'array' THEN p.content->'assignments' ELSE '[]'::jsonb END) WITH ORDINALITY AS a(value, ordinality)
WHERE NOT p.deleted AND jsonb_typeof(a.value->'target') = 'object';
