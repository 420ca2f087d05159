CREATE TABLE "port_security_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"action" text NOT NULL,
	"server_id" integer NOT NULL,
	"ip" text,
	"dedupe_key" text NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"skip_reason" text,
	"switch_id" integer,
	"interface" text,
	"job_id" integer
);
--> statement-breakpoint
CREATE INDEX "port_security_events_received_idx" ON "port_security_events" USING btree ("received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "port_security_events_dedupe_idx" ON "port_security_events" USING btree ("dedupe_key","received_at" DESC NULLS LAST);