/** Service-wide operations. */
import type { HandlerMap } from "../api/types.js";
import { SUPPORTED_RESOURCE_TYPES } from "../domain/resources.js";

export const serviceHandlers = {
  GetSupportedResourceTypes: () => ({ ResourceTypes: [...SUPPORTED_RESOURCE_TYPES] }),
} satisfies Partial<HandlerMap>;
