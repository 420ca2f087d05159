CREATE TABLE "vmac_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"ip" text NOT NULL,
	"mac" text NOT NULL,
	"server_id" integer NOT NULL,
	"actor" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "vmac_events_at_idx" ON "vmac_events" USING btree ("at" DESC NULLS LAST);