ALTER TYPE "public"."policy_family" ADD VALUE 'assignment_filter';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'scope_tag';