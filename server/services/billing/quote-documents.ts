import PDFDocument from "pdfkit";
import { formatCsv } from "@/lib/csv/format-csv";
import { AppError } from "@/lib/errors";
import type { DbOrTx } from "@/server/db/client";
import { describeQuoteDocument, formatQuoteCsvRows, QUOTE_COLUMNS, quoteNumber, type QuoteDocument } from "@/lib/billing/quotes";
import { getQuoteDocument } from "./quotes";

// A quote as the customer receives it: a PDF (pdfkit: pure JavaScript, its standard fonts ship in
// the package, nothing native or downloaded) and a CSV (formatCsv's rules). Both read the one
// QuoteDocument (getQuoteDocument) and its text comes from describeQuoteDocument, so the page, the
// CSV and the PDF say the same figures.

export function renderQuoteCsv(q: QuoteDocument): { name: string; body: string } {
  return { name: `sankofa-quote-${quoteNumber(q.id)}.csv`, body: formatCsv(QUOTE_COLUMNS, formatQuoteCsvRows(q)) };
}

// Column x positions and widths on an A4 page (595 × 842 pt) with 50 pt margins.
const COLUMNS = [
  { x: 50, width: 24, align: "left" },
  { x: 76, width: 90, align: "left" },
  { x: 168, width: 150, align: "left" },
  { x: 320, width: 80, align: "right" },
  { x: 402, width: 70, align: "right" },
  { x: 474, width: 71, align: "right" },
] as const;

export async function renderQuotePdf(q: QuoteDocument): Promise<{ name: string; body: Buffer }> {
  const text = describeQuoteDocument(q);
  // Standard PDF fonts (Helvetica) cover Latin-1: other characters of a name print as "?" rather
  // than as wrong glyphs.
  const latin1 = (s: string) => s.replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, "?");
  const doc = new PDFDocument({ size: "A4", margin: 50, info: { Title: text.title, Author: "Sankofa IT" } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on("end", resolve);
    doc.on("error", reject);
  });

  doc.font("Helvetica-Bold").fontSize(18).text(latin1(text.title));
  doc.moveDown(0.5);
  doc.font("Helvetica").fontSize(10);
  for (const [label, value] of text.facts) doc.text(`${label}: ${latin1(value)}`);
  doc.moveDown();

  const row = (cells: string[], bold: boolean) => {
    if (doc.y > 760) doc.addPage();
    const y = doc.y;
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(9);
    let bottom = y;
    cells.forEach((cell, i) => {
      const c = COLUMNS[i]!;
      doc.text(latin1(cell), c.x, y, { width: c.width, align: c.align });
      bottom = Math.max(bottom, doc.y);
    });
    doc.x = 50;
    doc.y = bottom + 4;
  };
  row(text.header, true);
  for (const r of text.rows) row(r, false);
  doc.moveDown();
  doc.font("Helvetica-Bold").fontSize(11).text(`Total: ${text.total}`, 50, doc.y, { width: 495, align: "right" });
  doc.end();
  await done;
  return { name: `sankofa-quote-${quoteNumber(q.id)}.pdf`, body: Buffer.concat(chunks) };
}

/** The download of quote `id` as `pdf` or `csv` (route handler's body), or undefined for another format. */
export async function handleQuoteDocument(db: DbOrTx, idText: string, format: string): Promise<Response | undefined> {
  if (format !== "pdf" && format !== "csv") return undefined;
  const id = Number(idText);
  if (!Number.isInteger(id) || id <= 0) throw new AppError("BAD_REQUEST", "id is not a quote number", { field: "id" });
  const q = await getQuoteDocument(db, id);
  const file = format === "pdf" ? await renderQuotePdf(q) : renderQuoteCsv(q);
  return new Response(new Uint8Array(typeof file.body === "string" ? Buffer.from(file.body, "utf8") : file.body), {
    status: 200,
    headers: {
      "content-type": format === "pdf" ? "application/pdf" : "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="${file.name}"`,
      "cache-control": "no-store",
    },
  });
}
