ALTER TABLE "switch_pushes" ADD COLUMN "confirm_deadline" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "switch_pushes" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "switches" ADD COLUMN "automation_enabled" boolean DEFAULT true NOT NULL;