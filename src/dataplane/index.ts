/**
 * The data plane module of each resource type that has one. Modules load on first use: they pull
 * in the AWS SDK clients, which start-up should not pay for when no resource endpoint is set.
 */
import type { ResourceDataPlane } from "./types.js";

const loaders: Record<string, () => Promise<ResourceDataPlane>> = {
  DynamoDB: async () => (await import("./dynamodb.js")).dynamodb,
  S3: async () => (await import("./s3.js")).s3,
  EBS: async () => (await import("./metadata-only.js")).ebs,
  EFS: async () => (await import("./metadata-only.js")).efs,
  RDS: async () => (await import("./metadata-only.js")).rds,
};

/** Resource types whose backups read from the resource endpoint. */
export const DATA_PLANE_TYPES: ReadonlySet<string> = new Set(Object.keys(loaders));

export async function dataPlaneFor(resourceType: string): Promise<ResourceDataPlane | undefined> {
  return loaders[resourceType]?.();
}
