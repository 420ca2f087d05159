CREATE TABLE "tenantos_servers" (
	"id" integer PRIMARY KEY NOT NULL,
	"servername" text NOT NULL,
	"hostname" text NOT NULL,
	"primary_ip" text,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "address_timeline_hostname_trgm_idx";--> statement-breakpoint
DROP INDEX "address_timeline_port_open_idx";--> statement-breakpoint
CREATE INDEX "tenantos_servers_names_trgm_idx" ON "tenantos_servers" USING gin (lower("hostname" || ' ' || "servername") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "address_timeline_guest_name_trgm_idx" ON "address_timeline" USING gin ("hostname" gin_trgm_ops) WHERE kind = 'guest' and valid_to is null and hostname is not null;--> statement-breakpoint
CREATE INDEX "address_timeline_port_open_idx" ON "address_timeline" USING btree ("switch_id","interface" text_pattern_ops) WHERE valid_to is null and kind = 'switch_binding';