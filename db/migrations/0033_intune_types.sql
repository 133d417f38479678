ALTER TYPE "public"."policy_family" ADD VALUE 'powershell_script';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'shell_script';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'remediation';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'feature_update_profile';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'quality_update_profile';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'driver_update_profile';