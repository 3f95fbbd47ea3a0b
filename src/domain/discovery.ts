/**
 * Optional resource discovery: with RESOURCE_ENDPOINT (alias RESOURCE_DISCOVERY_ENDPOINT) set, the resources (and their
 * tags) that another AWS emulator holds — LocalStack, Floci, Moto — are read from its Resource
 * Groups Tagging API (GetResources), so backup plan selections pick the tables and buckets that
 * really exist there. Scheduled work runs synchronously, so discovery is fetched ahead: before
 * due plan runs are performed (each timer wake-up and each clock move) and at most every few
 * seconds; runs use the latest fetch for their account and region.
 */
import type { Logger } from "pino";
import type { Scope } from "../store/table.js";
import type { KnownResource } from "./resource-inventory.js";
import { resourceTypeOf } from "./resources.js";

const MIN_REFRESH_MS = 2000;

export class ResourceDiscovery {
  private readonly cache = new Map<string, { at: number; resources: KnownResource[] }>();

  constructor(
    private readonly endpoint: string,
    private readonly log: Logger,
  ) {}

  private key(scope: Scope): string {
    return `${scope.accountId}/${scope.region}`;
  }

  /** The resources last read for the scope (empty before the first read). */
  cached(scope: Scope): KnownResource[] {
    return this.cache.get(this.key(scope))?.resources ?? [];
  }

  /** Read the resources of each scope from the endpoint, unless read very recently (or `force`). */
  async refresh(scopes: Iterable<Scope>, force = false): Promise<void> {
    const seen = new Set<string>();
    for (const scope of scopes) {
      const key = this.key(scope);
      if (seen.has(key)) continue;
      seen.add(key);
      const prior = this.cache.get(key);
      if (!force && prior && Date.now() - prior.at < MIN_REFRESH_MS) continue;
      try {
        this.cache.set(key, { at: Date.now(), resources: await this.fetch(scope) });
      } catch (err) {
        this.log.warn({ endpoint: this.endpoint, account: scope.accountId, region: scope.region, err: (err as Error).message }, "resource discovery failed");
      }
    }
  }

  private async fetch(scope: Scope): Promise<KnownResource[]> {
    // Loaded on first use: the SDK client is large, and most runs never discover anything.
    const { GetResourcesCommand, ResourceGroupsTaggingAPIClient } = await import("@aws-sdk/client-resource-groups-tagging-api");
    const client = new ResourceGroupsTaggingAPIClient({
      endpoint: this.endpoint,
      region: scope.region,
      // The account travels as the access key id, the convention of LocalStack, Floci and Moto.
      credentials: { accessKeyId: scope.accountId, secretAccessKey: "discovery" },
      maxAttempts: 1,
    });
    try {
      const out: KnownResource[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new GetResourcesCommand({ PaginationToken: token, ResourcesPerPage: 100 }));
        for (const m of page.ResourceTagMappingList ?? []) {
          const type = m.ResourceARN ? resourceTypeOf(m.ResourceARN) : undefined;
          if (!m.ResourceARN || !type) continue;
          out.push({ arn: m.ResourceARN, type, tags: Object.fromEntries((m.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])) });
        }
        token = page.PaginationToken || undefined;
      } while (token);
      return out;
    } finally {
      client.destroy();
    }
  }
}
