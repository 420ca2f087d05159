CREATE TABLE "billing_quote_lines" (
	"id" serial PRIMARY KEY NOT NULL,
	"quote_id" integer NOT NULL,
	"position" integer NOT NULL,
	"sku_id" integer NOT NULL,
	"description" text NOT NULL,
	"quantity_milli" bigint NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"amount_minor" bigint NOT NULL,
	"licence_id" integer,
	CONSTRAINT "billing_quote_lines_quantity" CHECK ("billing_quote_lines"."quantity_milli" > 0),
	CONSTRAINT "billing_quote_lines_price" CHECK ("billing_quote_lines"."unit_price_minor" >= 0),
	CONSTRAINT "billing_quote_lines_amount" CHECK ("billing_quote_lines"."amount_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "billing_quotes" (
	"id" serial PRIMARY KEY NOT NULL,
	"org_id" integer NOT NULL,
	"currency" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"valid_until" date NOT NULL,
	"total_minor" bigint NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"declined_at" timestamp with time zone,
	"expired_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_quotes_currency" CHECK ("billing_quotes"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "billing_quotes_total" CHECK ("billing_quotes"."total_minor" >= 0),
	CONSTRAINT "billing_quotes_status" CHECK ("billing_quotes"."status" in ('draft', 'sent', 'accepted', 'expired', 'declined')),
	CONSTRAINT "billing_quotes_sent" CHECK ("billing_quotes"."status" = 'draft' or "billing_quotes"."status" = 'expired' or "billing_quotes"."status" = 'declined' or "billing_quotes"."sent_at" is not null),
	CONSTRAINT "billing_quotes_accepted_in_time" CHECK (("billing_quotes"."status" = 'accepted') = ("billing_quotes"."accepted_at" is not null) and ("billing_quotes"."accepted_at" is null or ("billing_quotes"."accepted_at" at time zone 'UTC')::date <= "billing_quotes"."valid_until"))
);
--> statement-breakpoint
ALTER TABLE "billing_quote_lines" ADD CONSTRAINT "billing_quote_lines_quote_id_billing_quotes_id_fk" FOREIGN KEY ("quote_id") REFERENCES "public"."billing_quotes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_quote_lines" ADD CONSTRAINT "billing_quote_lines_sku_id_billing_skus_id_fk" FOREIGN KEY ("sku_id") REFERENCES "public"."billing_skus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_quote_lines" ADD CONSTRAINT "billing_quote_lines_licence_id_billing_licences_id_fk" FOREIGN KEY ("licence_id") REFERENCES "public"."billing_licences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_quotes" ADD CONSTRAINT "billing_quotes_org_id_billing_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."billing_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "billing_quote_lines_position_idx" ON "billing_quote_lines" USING btree ("quote_id","position");--> statement-breakpoint
CREATE INDEX "billing_quotes_org_idx" ON "billing_quotes" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "billing_quotes_open_idx" ON "billing_quotes" USING btree ("valid_until") WHERE status in ('draft', 'sent');