CREATE TABLE "switch_drift_reports" (
	"switch_id" integer PRIMARY KEY NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ports" jsonb,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "switch_drift_reports" ADD CONSTRAINT "switch_drift_reports_switch_id_switches_id_fk" FOREIGN KEY ("switch_id") REFERENCES "public"."switches"("id") ON DELETE cascade ON UPDATE no action;