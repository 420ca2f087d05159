CREATE SEQUENCE "public"."panel_connection_version_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
ALTER TABLE "panel_connections" ADD COLUMN "version" bigint DEFAULT nextval('panel_connection_version_seq') NOT NULL;--> statement-breakpoint
ALTER TABLE "port_map_entries" ADD COLUMN "origin" text DEFAULT 'typed' NOT NULL;--> statement-breakpoint
ALTER TABLE "port_map_entries" ADD COLUMN "seen_at" timestamp with time zone;