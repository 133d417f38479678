ALTER TYPE "public"."policy_family" ADD VALUE 'ios_app_protection';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'android_app_protection';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'windows_app_protection';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'managed_app_configuration';