CREATE TABLE "proxmox_node_servers" (
	"node" text PRIMARY KEY NOT NULL,
	"tenantos_server_id" integer NOT NULL,
	"confirmed_by" text NOT NULL,
	"confirmed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "switches" ADD COLUMN "vlan_names" jsonb;--> statement-breakpoint
ALTER TABLE "switches" ADD COLUMN "port_vlan_ids" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "proxmox_node_servers_server_idx" ON "proxmox_node_servers" USING btree ("tenantos_server_id");