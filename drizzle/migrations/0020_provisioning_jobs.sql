CREATE TABLE "provisioning_jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"correlation_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text NOT NULL,
	"ticket_id" text NOT NULL,
	"plan" jsonb NOT NULL,
	"config_digest" text,
	"node" text NOT NULL,
	"vmid" integer,
	"address" text,
	"calls_sent" integer DEFAULT 0 NOT NULL,
	"call_in_flight" integer,
	"tasks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"result" jsonb,
	"error" text,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approval_id" bigint,
	"approved_by" text,
	"approved_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "provisioning_jobs_correlation_idx" ON "provisioning_jobs" USING btree ("correlation_id");--> statement-breakpoint
CREATE INDEX "provisioning_jobs_status_idx" ON "provisioning_jobs" USING btree ("status","requested_at" DESC NULLS LAST);