ALTER TYPE "public"."policy_family" ADD VALUE 'enrollment_status_page';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'enrollment_limit';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'enrollment_platform_restriction';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'windows_hello_for_business';