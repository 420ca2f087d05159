CREATE TABLE "switch_backup_contents" (
	"sha256" text PRIMARY KEY NOT NULL,
	"sealed" "bytea" NOT NULL,
	"size_bytes" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "switch_backups" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"switch_id" integer NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reason" text NOT NULL,
	"change_id" text,
	"sha256" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "switch_dirty_ports" (
	"switch_id" integer NOT NULL,
	"interface" text NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "switch_dirty_ports_switch_id_interface_pk" PRIMARY KEY("switch_id","interface")
);
--> statement-breakpoint
CREATE TABLE "switch_port_bindings" (
	"switch_id" integer NOT NULL,
	"interface" text NOT NULL,
	"bindings" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "switch_port_bindings_switch_id_interface_pk" PRIMARY KEY("switch_id","interface")
);
--> statement-breakpoint
CREATE TABLE "switch_pushes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"change_id" text NOT NULL,
	"switch_id" integer NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"ports" text[] DEFAULT '{}'::text[] NOT NULL,
	"plan" jsonb,
	"compare" text,
	"transcript" jsonb,
	"backup_id" integer,
	"error_kind" text,
	"error_message" text,
	"switch_text" text
);
--> statement-breakpoint
CREATE TABLE "switches" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"host" text NOT NULL,
	"port" integer DEFAULT 22 NOT NULL,
	"username" text NOT NULL,
	"password_sealed" "bytea",
	"private_key_sealed" "bytea",
	"dialect" text,
	"dhcp_security_group" text DEFAULT 'sankofa' NOT NULL,
	"host_key_fingerprint" text,
	"host_key_state" text DEFAULT 'unknown' NOT NULL,
	"host_key_presented" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "switch_backups" ADD CONSTRAINT "switch_backups_switch_id_switches_id_fk" FOREIGN KEY ("switch_id") REFERENCES "public"."switches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "switch_backups" ADD CONSTRAINT "switch_backups_sha256_switch_backup_contents_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."switch_backup_contents"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "switch_dirty_ports" ADD CONSTRAINT "switch_dirty_ports_switch_id_switches_id_fk" FOREIGN KEY ("switch_id") REFERENCES "public"."switches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "switch_port_bindings" ADD CONSTRAINT "switch_port_bindings_switch_id_switches_id_fk" FOREIGN KEY ("switch_id") REFERENCES "public"."switches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "switch_pushes" ADD CONSTRAINT "switch_pushes_switch_id_switches_id_fk" FOREIGN KEY ("switch_id") REFERENCES "public"."switches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "switch_backups_switch_taken_idx" ON "switch_backups" USING btree ("switch_id","taken_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "switch_pushes_change_idx" ON "switch_pushes" USING btree ("change_id");--> statement-breakpoint
CREATE INDEX "switch_pushes_switch_started_idx" ON "switch_pushes" USING btree ("switch_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "switches_name_idx" ON "switches" USING btree ("name");