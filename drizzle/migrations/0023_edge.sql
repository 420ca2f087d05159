CREATE TABLE "edge_snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"collected_at" timestamp with time zone,
	"status" text DEFAULT 'running' NOT NULL,
	"error" text,
	"trigger" text NOT NULL,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "port_map_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"switch_name" text NOT NULL,
	"switch_kind" text NOT NULL,
	"port" text NOT NULL,
	"panel" text,
	"panel_position" text,
	"far_host" text,
	"far_nic" text,
	"far_mac" text,
	"bond" text,
	"vlan_mode" text,
	"native_vlan" integer,
	"tagged_vlans" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"speed_mbps" integer,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "edge_snapshots_source_idx" ON "edge_snapshots" USING btree ("source","status","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "port_map_entries_port_idx" ON "port_map_entries" USING btree ("switch_name","port");