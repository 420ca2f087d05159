CREATE TABLE "ipam_address_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"address" "inet" NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"kind" text NOT NULL,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "ipam_addresses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"address" "inet" NOT NULL,
	"prefix_id" integer,
	"hostname" text,
	"vmid" integer,
	"mac" text,
	"vlan_vid" integer,
	"owner_team" text,
	"service" text,
	"source_ref" text,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ipam_addresses_host" CHECK (masklen("ipam_addresses"."address") = case when family("ipam_addresses"."address") = 4 then 32 else 128 end)
);
--> statement-breakpoint
CREATE TABLE "ipam_prefixes" (
	"id" serial PRIMARY KEY NOT NULL,
	"prefix" "cidr" NOT NULL,
	"gateway" "inet",
	"vlan_id" integer,
	"environment" text,
	"routing_notes" text,
	"description" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ipam_vlans" (
	"id" serial PRIMARY KEY NOT NULL,
	"vid" integer NOT NULL,
	"name" text NOT NULL,
	"environment" text,
	"status" text DEFAULT 'current' NOT NULL,
	"description" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ipam_vlans_vid_range" CHECK ("ipam_vlans"."vid" between 1 and 4094)
);
--> statement-breakpoint
ALTER TABLE "ipam_addresses" ADD CONSTRAINT "ipam_addresses_prefix_id_ipam_prefixes_id_fk" FOREIGN KEY ("prefix_id") REFERENCES "public"."ipam_prefixes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ipam_prefixes" ADD CONSTRAINT "ipam_prefixes_vlan_id_ipam_vlans_id_fk" FOREIGN KEY ("vlan_id") REFERENCES "public"."ipam_vlans"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ipam_address_events_address_idx" ON "ipam_address_events" USING btree ("address","at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "ipam_addresses_address_idx" ON "ipam_addresses" USING btree ("address");--> statement-breakpoint
CREATE INDEX "ipam_addresses_prefix_address_idx" ON "ipam_addresses" USING btree ("prefix_id","address");--> statement-breakpoint
CREATE INDEX "ipam_addresses_hostname_idx" ON "ipam_addresses" USING btree ("hostname");--> statement-breakpoint
CREATE UNIQUE INDEX "ipam_prefixes_prefix_idx" ON "ipam_prefixes" USING btree ("prefix");--> statement-breakpoint
CREATE INDEX "ipam_prefixes_gist_idx" ON "ipam_prefixes" USING gist ("prefix" inet_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "ipam_vlans_vid_idx" ON "ipam_vlans" USING btree ("vid");