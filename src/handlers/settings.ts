/** Region and global settings. */
import type { HandlerMap } from "../api/types.js";
import { globalSettings, regionSettings, updateGlobalSettings, updateRegionSettings } from "../domain/settings.js";

export const settingsHandlers = {
  DescribeRegionSettings: (_input, ctx) => regionSettings(ctx.store, ctx.scope),

  UpdateRegionSettings: (input, ctx) => {
    updateRegionSettings(ctx, input.ResourceTypeOptInPreference, input.ResourceTypeManagementPreference);
  },

  DescribeGlobalSettings: (_input, ctx) => globalSettings(ctx),

  UpdateGlobalSettings: (input, ctx) => {
    updateGlobalSettings(ctx, input.GlobalSettings);
  },
} satisfies Partial<HandlerMap>;
