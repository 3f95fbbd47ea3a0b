/** Tagging operations, on any taggable Backup ARN. */
import type { HandlerMap } from "../api/types.js";
import { decodeToken, encodeToken } from "../domain/pagination.js";
import { addTags, removeTags, requireTaggable } from "../domain/tagging.js";
import { authorizeOnArn } from "../domain/vault-policy.js";

export const tagHandlers = {
  ListTags: (input, ctx) => {
    authorizeOnArn(ctx, "backup:ListTags", input.ResourceArn);
    requireTaggable(ctx, input.ResourceArn);
    const tags = ctx.store.getTags(input.ResourceArn);
    // Tags are few (50 at most); the page walks the keys in order.
    const keys = Object.keys(tags).sort();
    const after = decodeToken("ListTags", input.NextToken)?.[0];
    const start = typeof after === "string" ? keys.findIndex((k) => k > after) : 0;
    const slice = start < 0 ? [] : keys.slice(start, start + (input.MaxResults ?? 1000));
    const out: { Tags: Record<string, string>; NextToken?: string } = { Tags: Object.fromEntries(slice.map((k) => [k, tags[k]!])) };
    const last = slice[slice.length - 1];
    if (last !== undefined && start + slice.length < keys.length) out.NextToken = encodeToken("ListTags", [last]);
    return out;
  },

  TagResource: (input, ctx) => {
    authorizeOnArn(ctx, "backup:TagResource", input.ResourceArn);
    addTags(ctx, input.ResourceArn, input.Tags);
  },

  UntagResource: (input, ctx) => {
    authorizeOnArn(ctx, "backup:UntagResource", input.ResourceArn);
    removeTags(ctx, input.ResourceArn, input.TagKeyList);
  },
} satisfies Partial<HandlerMap>;
