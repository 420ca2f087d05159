ALTER TABLE "pending_changes" ADD COLUMN "requested_by_issuer" text;--> statement-breakpoint
ALTER TABLE "pending_changes" ADD COLUMN "requested_by_subject" text;--> statement-breakpoint
ALTER TABLE "pending_changes" ADD COLUMN "state_digest" text;