ALTER TYPE "public"."policy_family" ADD VALUE 'update_ring';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'endpoint_security_antivirus';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'endpoint_security_firewall';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'endpoint_security_disk_encryption';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'endpoint_security_edr';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'endpoint_security_asr';--> statement-breakpoint
ALTER TYPE "public"."policy_family" ADD VALUE 'endpoint_security_account_protection';