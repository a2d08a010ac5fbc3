// Paging as NocoBase's list actions do it: 1-based `page`, `pageSize` up to 200 (default 50; more is
// cut to 200),
// answered with `meta: { count, page, pageSize, totalPage }`.
import { invalidQuery } from './scope';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface PageParams {
  page?: unknown;
  pageSize?: unknown;
}

export interface Page<T> {
  rows: T[];
  count: number;
  page: number;
  pageSize: number;
  totalPage: number;
}

function whole(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1) throw invalidQuery(`${name}: a whole number from 1`);
  // Asking for more than the ceiling gets the ceiling, as NocoBase's own list actions do.
  return Math.min(n, max);
}

export function pageOf(params: PageParams): { page: number; pageSize: number } {
  return { page: whole(params.page, 'page', 1, 1_000_000), pageSize: whole(params.pageSize, 'pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE) };
}
