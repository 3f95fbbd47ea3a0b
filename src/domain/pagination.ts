/**
 * Opaque NextToken pagination. A token wraps the store's cursor (the position after the last
 * item served) with the operation it belongs to, so a token from one list is refused by another,
 * and with a digest of both, so an edited token is refused instead of reaching the store as a
 * cursor it cannot use.
 */
import { createHash } from "node:crypto";
import { InvalidParameterValueException } from "../../generated/errors.js";
import type { Cursor, Page } from "../store/table.js";

/** When MaxResults is absent: the model's maximum page size. */
export const DEFAULT_PAGE_SIZE = 1000;

const digest = (list: string, cursor: unknown): string =>
  createHash("sha256").update(`${list}\n${JSON.stringify(cursor)}`).digest("base64url").slice(0, 16);

export function encodeToken(list: string, cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ l: list, c: cursor, d: digest(list, cursor) })).toString("base64url");
}

export function decodeToken(list: string, token: string | undefined): Cursor | undefined {
  if (token === undefined || token === "") return undefined;
  try {
    const v = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { l?: unknown; c?: unknown; d?: unknown };
    if (v.l === list && Array.isArray(v.c) && v.c.every((x) => x === null || typeof x === "string" || typeof x === "number") && v.d === digest(list, v.c)) {
      return v.c as Cursor;
    }
  } catch {
    // fall through
  }
  throw new InvalidParameterValueException("The NextToken is not valid for this request; pass the NextToken of the previous page unchanged.");
}

export interface PageRequest {
  MaxResults?: number;
  NextToken?: string;
}

/** Page size and start position of a list request. */
export function pageArgs(list: string, input: PageRequest): { limit: number; after: Cursor | undefined } {
  return { limit: input.MaxResults ?? DEFAULT_PAGE_SIZE, after: decodeToken(list, input.NextToken) };
}

/** `{ [key]: mapped items, NextToken? }`: the token only when another page follows. */
export function pageOutput<T, U, K extends string>(
  list: string,
  key: K,
  page: Page<T>,
  map: (item: T) => U,
): { [P in K]: U[] } & { NextToken?: string } {
  const out = { [key]: page.items.map(map) } as { [P in K]: U[] } & { NextToken?: string };
  if (page.next) out.NextToken = encodeToken(list, page.next);
  return out;
}

/**
 * A list's items as the JSON the store keeps for them (TableDef.views), joined by commas: the
 * answer is written around it (protocol/response.ts) without parsing an item. Anything else
 * that serialises it gets the parsed items.
 */
/** Marks an output that holds JsonItems (a symbol: JSON.stringify and Object.entries skip it). */
export const HAS_JSON_ITEMS = Symbol("hasJsonItems");

export class JsonItems {
  constructor(readonly json: string) {}
  toJSON(): unknown[] {
    return JSON.parse(`[${this.json}]`) as unknown[];
  }
}

/**
 * pageOutput for a page of stored views (Table.listJson). Typed as an array that fits any
 * operation's list member (never[]): the items are the view's JSON, which the table definition
 * ties to the shape.
 */
export function jsonPageOutput<K extends string>(list: string, key: K, page: { json: string; next?: Cursor }): { [P in K]: never[] } & { NextToken?: string } {
  const out = { [key]: new JsonItems(page.json), [HAS_JSON_ITEMS]: true } as unknown as { [P in K]: never[] } & { NextToken?: string };
  if (page.next) out.NextToken = encodeToken(list, page.next);
  return out;
}
