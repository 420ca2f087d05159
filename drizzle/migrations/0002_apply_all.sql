CREATE TABLE "apply_all_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_by" text NOT NULL,
	"switch_ids" integer[] NOT NULL,
	"finished_at" timestamp with time zone
);
