CREATE TABLE "worker_processes" (
	"worker_id" text PRIMARY KEY NOT NULL,
	"hostname" text NOT NULL,
	"pid" integer NOT NULL,
	"beat_at" timestamp with time zone DEFAULT now() NOT NULL
);
