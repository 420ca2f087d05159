-- pg_trgm (contrib; in the embedded Postgres and every packaged Postgres 15+): the search answers hostnames by trigram.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "address_timeline" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"address" "inet" NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone,
	"holder_key" text DEFAULT '' NOT NULL,
	"tenantos_server_id" integer,
	"switch_id" integer,
	"switch_name" text,
	"interface" text,
	"mac" text,
	"vlan" text,
	"vmid" integer,
	"node" text,
	"hostname" text,
	"status" text,
	"owner" text,
	"evidence_type" text NOT NULL,
	"evidence_id" text NOT NULL,
	"end_evidence_type" text,
	"end_evidence_id" text,
	"last_seen_at" timestamp with time zone,
	CONSTRAINT "address_timeline_order" CHECK ("address_timeline"."valid_to" is null or "address_timeline"."valid_to" >= "address_timeline"."valid_from"),
	CONSTRAINT "address_timeline_host" CHECK (masklen("address_timeline"."address") = case when family("address_timeline"."address") = 4 then 32 else 128 end)
);
--> statement-breakpoint
CREATE TABLE "address_timeline_collections" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"snapshot_id" bigint NOT NULL,
	"collected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "address_timeline_coverage" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"recording_since" timestamp with time zone DEFAULT now() NOT NULL,
	"pruned_before" timestamp with time zone,
	"backfilled_at" timestamp with time zone,
	CONSTRAINT "address_timeline_coverage_one" CHECK ("address_timeline_coverage"."id" = 1)
);
--> statement-breakpoint
CREATE INDEX "address_timeline_address_idx" ON "address_timeline" USING btree ("address","valid_from");--> statement-breakpoint
CREATE UNIQUE INDEX "address_timeline_open_idx" ON "address_timeline" USING btree ("kind","address","holder_key") WHERE valid_to is null;--> statement-breakpoint
CREATE INDEX "address_timeline_mac_idx" ON "address_timeline" USING btree ("mac" text_pattern_ops) WHERE mac is not null;--> statement-breakpoint
CREATE INDEX "address_timeline_port_open_idx" ON "address_timeline" USING btree ("switch_id","interface") WHERE valid_to is null and kind = 'switch_binding';--> statement-breakpoint
CREATE INDEX "address_timeline_server_idx" ON "address_timeline" USING btree ("tenantos_server_id") WHERE tenantos_server_id is not null;--> statement-breakpoint
CREATE INDEX "address_timeline_vmid_idx" ON "address_timeline" USING btree ("vmid") WHERE vmid is not null;--> statement-breakpoint
CREATE INDEX "address_timeline_hostname_trgm_idx" ON "address_timeline" USING gin ("hostname" gin_trgm_ops) WHERE hostname is not null;--> statement-breakpoint
CREATE INDEX "address_timeline_closed_idx" ON "address_timeline" USING btree ("valid_to") WHERE valid_to is not null;--> statement-breakpoint
CREATE INDEX "address_timeline_collections_at_idx" ON "address_timeline_collections" USING btree ("source","collected_at");--> statement-breakpoint
CREATE UNIQUE INDEX "address_timeline_collections_snapshot_idx" ON "address_timeline_collections" USING btree ("snapshot_id");