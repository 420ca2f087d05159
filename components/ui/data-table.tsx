"use client";

// DataTable: the console's one list table. TanStack Table (headless) over the shadcn table, in
// manual mode: the server sorts, filters and pages; this component only shows one page and turns
// clicks into links. All of a view lives in the URL, so a copied link opens the same view.
//
// How to use it (a server page; see app/(it)/it/audit/page.tsx):
//   1. lib/<domain>/<list>-table.ts: `defineTableSpec({ sortable, defaultSort, defaultDir, filters })`
//      (filters: one zod schema per URL param; `utcDateParam` for time bounds).
//   2. server/services/<domain>/queries.ts: a `ListSource` (select, from, sortColumns whitelist keyed
//      by the spec's sort ids, a unique tiebreaker, mapRow) and `listPage(db, source, {where, …})`;
//      an export reads the same source and WHERE with `iterateList`. A thin tRPC procedure takes
//      `tableInputSchema(spec)`.
//   3. The page: `const { state, errors } = parseTableState(spec, await searchParams)`, call the
//      procedure with `state`, then render
//        <DataTable label="Audit log" columns={[{ id: "at", header: "When", isSortable: true }, …]}
//          rows={page.rows.map((r) => ({ id: r.id, cells: { at: <Time value={r.at} />, … } }))}
//          total={page.total} state={state} search={{ label: "Search" }}
//          filters={[{ kind: "select", param: "status", label: "Status", options: [...] },
//                    { kind: "text", param: "actor", label: "Actor" },
//                    { kind: "dateRange", label: "When", from: "from", to: "to" }]}
//          exportHref="/api/…/export/…" testId="audit-table" />
//      Cells are ReactNodes built on the server (links, badges, client buttons all fine); column ids
//      that sort must be in the spec's `sortable`. Its params are sort, dir, page, size, q and the
//      filter names; other params of the page (e.g. `tab`) are kept. A second table on the page gets
//      a spec with `paramPrefix: "pushes"` and `paramPrefix={spec.paramPrefix}` here: its params are
//      then `pushes.sort`, `pushes.status`… (filters are still declared by their plain names).

import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type SortingState } from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useTransition, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DEFAULT_PAGE_SIZES, describeRange, exportParams, pageCountOf, paramName, patchParams, type SortDir } from "@/lib/table/url-state";
import { cn } from "@/lib/utils";

export interface DataTableColumn {
  /** The cell key in each row; for a sortable column also the spec's sort id. */
  id: string;
  header: string;
  isSortable?: boolean;
  className?: string;
}

export type DataTableFilter =
  | { kind: "select"; param: string; label: string; options: ReadonlyArray<string | { value: string; label: string }> }
  | { kind: "text"; param: string; label: string; placeholder?: string }
  | { kind: "dateRange"; label: string; from: string; to: string };

export interface DataTableRow {
  id: string | number;
  cells: Record<string, ReactNode>;
}

export interface DataTableProps {
  /** The table's accessible name, also prefixing its controls' labels. */
  label: string;
  columns: readonly DataTableColumn[];
  rows: readonly DataTableRow[];
  /** Rows matching the filters, all pages together (the list's count cap when `isTotalCapped`). */
  total: number;
  /** More rows match than were counted (server/db/list-query.ts, LIST_COUNT_CAP): shown as "10,000+". */
  isTotalCapped?: boolean;
  /** The parsed view (from parseTableState), so the table shows what the server read. */
  state: { sort: string; dir: SortDir; page: number; pageSize: number };
  pageSizes?: readonly number[];
  search?: { label: string; placeholder?: string };
  filters?: readonly DataTableFilter[];
  /** The CSV download of the filtered view; the view's params are appended. */
  exportHref?: string;
  emptyText?: string;
  testId?: string;
  /** The spec's `paramPrefix`, for every table of a page but one. */
  paramPrefix?: string;
}

const FIELD = "border-input h-9 rounded-md border bg-transparent px-2 text-sm";

/** A datetime-local input's value for a URL value (it shows only `YYYY-MM-DDTHH:mm`), in UTC. */
function toLocalInput(v: string | null): string {
  if (!v) return "";
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return v;
  const d = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString().slice(0, 16);
}

function SortIcon({ dir }: { dir: false | SortDir }) {
  if (dir === "asc") return <ArrowUp aria-hidden className="size-3.5" />;
  if (dir === "desc") return <ArrowDown aria-hidden className="size-3.5" />;
  return <ArrowUpDown aria-hidden className="size-3.5 opacity-40" />;
}

export function DataTable({
  label,
  columns,
  rows,
  total,
  isTotalCapped = false,
  state,
  pageSizes = DEFAULT_PAGE_SIZES,
  search,
  filters = [],
  exportHref,
  emptyText = "Nothing matches.",
  testId,
  paramPrefix,
}: DataTableProps) {
  const name = (n: string) => paramName(paramPrefix, n);
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const current = params.toString();
  const [isPending, startTransition] = useTransition();
  const go = (next: URLSearchParams) => {
    const qs = next.toString();
    startTransition(() => router.push(qs ? `${pathname}?${qs}` : pathname, { scroll: false }));
  };
  const hrefFor = (patch: Record<string, string | undefined>) => {
    const qs = patchParams(current, patch, paramPrefix).toString();
    return qs ? `${pathname}?${qs}` : pathname;
  };

  const sorting: SortingState = [{ id: state.sort, desc: state.dir === "desc" }];
  const columnDefs = useMemo<ColumnDef<DataTableRow>[]>(
    () =>
      columns.map((c) => ({
        id: c.id,
        // TanStack sorts (and offers sorting on) accessor columns only; the value is unused in manual mode.
        accessorFn: (row: DataTableRow) => row.cells[c.id],
        header: c.header,
        enableSorting: c.isSortable ?? false,
        cell: ({ row }) => row.original.cells[c.id] ?? null,
        meta: { className: c.className },
      })),
    [columns],
  );
  const table = useReactTable({
    data: rows as DataTableRow[],
    columns: columnDefs,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => String(r.id),
    manualSorting: true,
    manualFiltering: true,
    manualPagination: true,
    rowCount: total,
    enableMultiSort: false,
    enableSortingRemoval: false,
    sortDescFirst: false,
    state: { sorting, pagination: { pageIndex: state.page - 1, pageSize: state.pageSize } },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      if (first) go(patchParams(current, { [name("sort")]: first.id, [name("dir")]: first.desc ? "desc" : "asc" }, paramPrefix));
    },
  });

  const onFilter = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const patch: Record<string, string | undefined> = {};
    // The form's fields carry the plain names; the URL gets this table's names.
    for (const [k, v] of data.entries()) patch[name(k)] = typeof v === "string" ? v.trim() : undefined;
    go(patchParams(current, patch, paramPrefix));
  };
  const filterParams = [...(search ? ["q"] : []), ...filters.flatMap((f) => (f.kind === "dateRange" ? [f.from, f.to] : [f.param]))].map(name);
  const isFiltered = filterParams.some((p) => params.get(p));
  const pageCount = pageCountOf(total, state.pageSize);
  const range = describeRange(state.page, state.pageSize, total, isTotalCapped);
  const exportQs = exportHref ? exportParams(current, paramPrefix).toString() : "";

  return (
    <div className="grid min-w-0 gap-3" data-testid={testId ? `${testId}-view` : undefined} aria-busy={isPending}>
      {(search || filters.length > 0) && (
        <form key={current} role="search" aria-label={`Filter ${label}`} onSubmit={onFilter} className="flex flex-wrap items-end gap-3 text-sm">
          {search && (
            <label className="grid gap-1">
              {search.label}
              <input
                type="search"
                name="q"
                defaultValue={params.get(name("q")) ?? ""}
                placeholder={search.placeholder}
                className={cn(FIELD, "w-full sm:w-64")}
              />
            </label>
          )}
          {filters.map((f) =>
            f.kind === "select" ? (
              <label key={f.param} className="grid gap-1">
                {f.label}
                <select name={f.param} defaultValue={params.get(name(f.param)) ?? ""} className={FIELD}>
                  <option value="">any</option>
                  {f.options.map((o) => {
                    const { value, label: text } = typeof o === "string" ? { value: o, label: o } : o;
                    return (
                      <option key={value} value={value}>
                        {text}
                      </option>
                    );
                  })}
                </select>
              </label>
            ) : f.kind === "text" ? (
              <label key={f.param} className="grid gap-1">
                {f.label}
                <input name={f.param} defaultValue={params.get(name(f.param)) ?? ""} placeholder={f.placeholder} className={cn(FIELD, "w-full sm:w-40")} />
              </label>
            ) : (
              <fieldset key={`${f.from}-${f.to}`} className="flex flex-wrap items-end gap-2">
                <legend className="sr-only">{f.label} (UTC)</legend>
                <label className="grid gap-1">
                  {f.label} from (UTC)
                  <input type="datetime-local" name={f.from} defaultValue={toLocalInput(params.get(name(f.from)))} className={FIELD} />
                </label>
                <label className="grid gap-1">
                  {f.label} to (UTC)
                  <input type="datetime-local" name={f.to} defaultValue={toLocalInput(params.get(name(f.to)))} className={FIELD} />
                </label>
              </fieldset>
            ),
          )}
          <Button type="submit">Filter</Button>
          {isFiltered && (
            <Link className="h-9 content-center underline" href={hrefFor(Object.fromEntries(filterParams.map((p) => [p, undefined])))}>
              Clear filters
            </Link>
          )}
        </form>
      )}

      <Table aria-label={label} data-testid={testId}>
        <TableHeader>
          {table.getHeaderGroups().map((group) => (
            <TableRow key={group.id}>
              {group.headers.map((header) => {
                const col = header.column;
                const sorted = col.getIsSorted();
                const className = (col.columnDef.meta as { className?: string } | undefined)?.className;
                return (
                  <TableHead
                    key={header.id}
                    className={className}
                    aria-sort={col.getCanSort() ? (sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none") : undefined}
                  >
                    {col.getCanSort() ? (
                      <button
                        type="button"
                        onClick={col.getToggleSortingHandler()}
                        className="hover:text-foreground focus-visible:ring-ring/50 -mx-1 inline-flex items-center gap-1 rounded px-1 outline-none focus-visible:ring-[3px]"
                      >
                        {flexRender(col.columnDef.header, header.getContext())}
                        <SortIcon dir={sorted} />
                      </button>
                    ) : (
                      flexRender(col.columnDef.header, header.getContext())
                    )}
                  </TableHead>
                );
              })}
            </TableRow>
          ))}
        </TableHeader>
        <TableBody>
          {table.getRowModel().rows.map((row) => (
            <TableRow key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <TableCell key={cell.id} className={(cell.column.columnDef.meta as { className?: string } | undefined)?.className}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </TableCell>
              ))}
            </TableRow>
          ))}
          {rows.length === 0 && <TableEmpty colSpan={columns.length}>{emptyText}</TableEmpty>}
        </TableBody>
      </Table>

      <nav aria-label={`${label} pages`} className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        <span data-testid={testId ? `${testId}-range` : undefined} aria-live="polite">
          {range}
        </span>
        {isTotalCapped && state.page >= pageCount && (
          <span className="text-muted-foreground" data-testid={testId ? `${testId}-capped` : undefined}>
            Only the first {total.toLocaleString("en-US")} are paged: sort the other way or narrow the filters to reach the rest.
          </span>
        )}
        <span className="inline-flex items-center gap-2">
          {state.page > 1 ? (
            <>
              <Link className="underline" href={hrefFor({ [name("page")]: undefined })}>
                First
              </Link>
              <Link className="underline" rel="prev" href={hrefFor({ [name("page")]: String(Math.min(state.page - 1, pageCount)) })}>
                Previous
              </Link>
            </>
          ) : null}
          <span>
            Page {state.page.toLocaleString("en-US")} of {pageCount.toLocaleString("en-US")}
          </span>
          {state.page < pageCount ? (
            <>
              <Link className="underline" rel="next" href={hrefFor({ [name("page")]: String(state.page + 1) })}>
                Next
              </Link>
              <Link className="underline" href={hrefFor({ [name("page")]: String(pageCount) })}>
                Last
              </Link>
            </>
          ) : null}
        </span>
        <label className="inline-flex items-center gap-2">
          Rows per page
          <select className={FIELD} value={state.pageSize} onChange={(e) => go(patchParams(current, { [name("size")]: e.target.value }, paramPrefix))}>
            {pageSizes.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {exportHref && (
          <a className="underline" href={exportQs ? `${exportHref}${exportHref.includes("?") ? "&" : "?"}${exportQs}` : exportHref} download>
            Export CSV
          </a>
        )}
      </nav>
    </div>
  );
}
