CREATE TABLE "panel_ports" (
	"switch_id" integer NOT NULL,
	"interface" text NOT NULL,
	"server_id" integer NOT NULL,
	"kind" text NOT NULL,
	"proxmox_node" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "panel_ports_switch_id_interface_pk" PRIMARY KEY("switch_id","interface")
);
--> statement-breakpoint
CREATE TABLE "vmacs" (
	"ip" text PRIMARY KEY NOT NULL,
	"mac" text NOT NULL,
	"server_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "switch_pushes" ADD COLUMN "skipped" jsonb;--> statement-breakpoint
ALTER TABLE "switches" ADD COLUMN "tenantos_device_id" integer;--> statement-breakpoint
ALTER TABLE "panel_ports" ADD CONSTRAINT "panel_ports_switch_id_switches_id_fk" FOREIGN KEY ("switch_id") REFERENCES "public"."switches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "panel_ports_server_idx" ON "panel_ports" USING btree ("server_id");--> statement-breakpoint
CREATE UNIQUE INDEX "vmacs_mac_idx" ON "vmacs" USING btree ("mac");--> statement-breakpoint
CREATE INDEX "vmacs_server_idx" ON "vmacs" USING btree ("server_id");--> statement-breakpoint
CREATE UNIQUE INDEX "switches_tenantos_device_idx" ON "switches" USING btree ("tenantos_device_id");