CREATE TABLE "billing_bandwidth_samples" (
	"server_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"in_bps" bigint NOT NULL,
	"out_bps" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_invoice_lines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"invoice_id" integer NOT NULL,
	"position" integer NOT NULL,
	"sku_id" integer,
	"description" text NOT NULL,
	"quantity_milli" bigint NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"amount_minor" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_invoices" (
	"id" serial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"currency" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"total_minor" bigint DEFAULT 0 NOT NULL,
	"corrects_invoice_id" integer,
	"stripe_invoice_id" text,
	"issued_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"payment_failed_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_licences" (
	"id" serial PRIMARY KEY NOT NULL,
	"sku_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"project" text,
	"seat_count" integer NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone,
	"external_ref" text,
	"stripe_subscription_id" text,
	"status" text DEFAULT 'active' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_licences_seats" CHECK ("billing_licences"."seat_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "billing_object_orgs" (
	"object" text PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_orgs" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"stripe_customer_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_seat_assignments" (
	"id" serial PRIMARY KEY NOT NULL,
	"licence_id" integer NOT NULL,
	"holder" text NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_skus" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"external_sku_id" text NOT NULL,
	"stripe_price_id" text,
	"unit" text NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"meter" text,
	"grants_group" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_skus_price" CHECK ("billing_skus"."unit_price_minor" >= 0),
	CONSTRAINT "billing_skus_currency" CHECK ("billing_skus"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "billing_stripe_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"object_id" text,
	"created" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"note" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "billing_stripe_objects" (
	"object_id" text PRIMARY KEY NOT NULL,
	"last_event_id" text NOT NULL,
	"last_event_type" text NOT NULL,
	"last_event_created" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_usage_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"day" date NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"rows" integer DEFAULT 0 NOT NULL,
	"error" text,
	"collected_at" timestamp with time zone NOT NULL,
	"runs" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_usage_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"object" text NOT NULL,
	"meter" text NOT NULL,
	"period" date NOT NULL,
	"org_id" integer,
	"node" text,
	"quantity_milli" bigint NOT NULL,
	"collected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "billing_invoice_lines" ADD CONSTRAINT "billing_invoice_lines_invoice_id_billing_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."billing_invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_invoice_lines" ADD CONSTRAINT "billing_invoice_lines_sku_id_billing_skus_id_fk" FOREIGN KEY ("sku_id") REFERENCES "public"."billing_skus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_invoices" ADD CONSTRAINT "billing_invoices_org_id_billing_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."billing_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_licences" ADD CONSTRAINT "billing_licences_sku_id_billing_skus_id_fk" FOREIGN KEY ("sku_id") REFERENCES "public"."billing_skus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_licences" ADD CONSTRAINT "billing_licences_org_id_billing_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."billing_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_object_orgs" ADD CONSTRAINT "billing_object_orgs_org_id_billing_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."billing_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_seat_assignments" ADD CONSTRAINT "billing_seat_assignments_licence_id_billing_licences_id_fk" FOREIGN KEY ("licence_id") REFERENCES "public"."billing_licences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_usage_samples" ADD CONSTRAINT "billing_usage_samples_org_id_billing_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."billing_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "billing_bandwidth_samples_key_idx" ON "billing_bandwidth_samples" USING btree ("server_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_invoice_lines_position_idx" ON "billing_invoice_lines" USING btree ("invoice_id","position");--> statement-breakpoint
CREATE INDEX "billing_invoices_period_idx" ON "billing_invoices" USING btree ("period_start","org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_invoices_stripe_idx" ON "billing_invoices" USING btree ("stripe_invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_invoices_one_draft_idx" ON "billing_invoices" USING btree ("org_id","period_start","period_end","currency") WHERE status = 'draft' and corrects_invoice_id is null;--> statement-breakpoint
CREATE UNIQUE INDEX "billing_licences_external_idx" ON "billing_licences" USING btree ("external_ref");--> statement-breakpoint
CREATE INDEX "billing_licences_org_idx" ON "billing_licences" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_orgs_code_idx" ON "billing_orgs" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_orgs_stripe_customer_idx" ON "billing_orgs" USING btree ("stripe_customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_seat_assignments_holder_idx" ON "billing_seat_assignments" USING btree ("licence_id","holder");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_skus_code_idx" ON "billing_skus" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_skus_external_idx" ON "billing_skus" USING btree ("external_sku_id");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_skus_stripe_price_idx" ON "billing_skus" USING btree ("stripe_price_id");--> statement-breakpoint
CREATE INDEX "billing_stripe_events_received_idx" ON "billing_stripe_events" USING btree ("received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "billing_stripe_events_object_idx" ON "billing_stripe_events" USING btree ("object_id");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_usage_runs_day_source_idx" ON "billing_usage_runs" USING btree ("day","source");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_usage_samples_dedup_idx" ON "billing_usage_samples" USING btree ("source","object","meter","period");--> statement-breakpoint
CREATE INDEX "billing_usage_samples_period_idx" ON "billing_usage_samples" USING btree ("period","org_id");