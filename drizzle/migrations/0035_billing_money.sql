CREATE TABLE "billing_ledger_checks" (
	"id" serial PRIMARY KEY NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"invoices" integer NOT NULL,
	"flags" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_payments" (
	"id" serial PRIMARY KEY NOT NULL,
	"invoice_id" integer NOT NULL,
	"kind" text NOT NULL,
	"stripe_object_id" text NOT NULL,
	"stripe_event_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"match" text,
	"payment_intent" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_payments_amount" CHECK ("billing_payments"."amount_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "billing_usage_corrections" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"day" date NOT NULL,
	"source" text NOT NULL,
	"object" text NOT NULL,
	"meter" text NOT NULL,
	"recorded_milli" bigint,
	"recollected_milli" bigint,
	"recollected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "billing_invoice_lines" ADD COLUMN "billed_by" text DEFAULT 'us' NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_invoices" ADD COLUMN "credited_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_invoices" ADD COLUMN "paid_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_payments" ADD CONSTRAINT "billing_payments_invoice_id_billing_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."billing_invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "billing_payments_object_idx" ON "billing_payments" USING btree ("kind","stripe_object_id");--> statement-breakpoint
CREATE INDEX "billing_payments_invoice_idx" ON "billing_payments" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "billing_payments_intent_idx" ON "billing_payments" USING btree ("payment_intent");--> statement-breakpoint
CREATE INDEX "billing_usage_corrections_day_idx" ON "billing_usage_corrections" USING btree ("day","source");--> statement-breakpoint
ALTER TABLE "billing_invoice_lines" ADD CONSTRAINT "billing_invoice_lines_stripe_zero" CHECK ("billing_invoice_lines"."billed_by" = 'us' or "billing_invoice_lines"."amount_minor" = 0);--> statement-breakpoint
ALTER TABLE "billing_invoices" ADD CONSTRAINT "billing_invoices_credit_bounded" CHECK ("billing_invoices"."corrects_invoice_id" is not null or ("billing_invoices"."credited_minor" >= 0 and "billing_invoices"."credited_minor" <= "billing_invoices"."total_minor"));