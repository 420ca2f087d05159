CREATE TABLE "job_origins" (
	"job_id" bigint PRIMARY KEY NOT NULL,
	"parent_job_id" bigint NOT NULL,
	"parent_task" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" bigint NOT NULL,
	"task" text NOT NULL,
	"queue" text,
	"attempt" integer NOT NULL,
	"max_attempts" integer NOT NULL,
	"outcome" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"duration_ms" integer NOT NULL,
	"trigger_kind" text NOT NULL,
	"trigger_ref" text,
	"evidence_kind" text,
	"evidence_id" text,
	"error" text,
	"worker_id" text,
	CONSTRAINT "job_runs_outcome_check" CHECK ("job_runs"."outcome" in ('succeeded', 'failed', 'retried')),
	CONSTRAINT "job_runs_trigger_check" CHECK ("job_runs"."trigger_kind" in ('schedule', 'user', 'webhook', 'job', 'system')),
	CONSTRAINT "job_runs_duration_check" CHECK ("job_runs"."duration_ms" >= 0 and "job_runs"."finished_at" >= "job_runs"."started_at"),
	CONSTRAINT "job_runs_error_check" CHECK (("job_runs"."outcome" = 'succeeded') = ("job_runs"."error" is null))
);
--> statement-breakpoint
CREATE INDEX "job_runs_finished_idx" ON "job_runs" USING btree ("finished_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "job_runs_task_finished_idx" ON "job_runs" USING btree ("task","finished_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "job_runs_outcome_finished_idx" ON "job_runs" USING btree ("outcome","finished_at" DESC NULLS LAST);