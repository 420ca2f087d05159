CREATE TABLE "ipam_vlan_moves" (
	"id" serial PRIMARY KEY NOT NULL,
	"hostname" text NOT NULL,
	"vmid" integer,
	"target_address" "inet" NOT NULL,
	"target_vid" integer NOT NULL,
	"from_role" text,
	"to_role" text,
	"wave" integer,
	"status" text DEFAULT 'planned' NOT NULL,
	"note" text,
	"status_changed_at" timestamp with time zone,
	"status_changed_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ipam_vlan_moves_wave" CHECK ("ipam_vlan_moves"."wave" is null or "ipam_vlan_moves"."wave" between 1 and 4),
	CONSTRAINT "ipam_vlan_moves_target_host" CHECK (masklen("ipam_vlan_moves"."target_address") = case when family("ipam_vlan_moves"."target_address") = 4 then 32 else 128 end)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "ipam_vlan_moves_hostname_idx" ON "ipam_vlan_moves" USING btree ("hostname");--> statement-breakpoint
CREATE UNIQUE INDEX "ipam_vlan_moves_target_idx" ON "ipam_vlan_moves" USING btree ("target_address");--> statement-breakpoint
CREATE INDEX "ipam_vlan_moves_vid_idx" ON "ipam_vlan_moves" USING btree ("target_vid");