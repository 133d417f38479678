ALTER TYPE "public"."policy_family" ADD VALUE 'powershell_script';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'shell_script';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'remediation';