/** Tiering configuration operations. */
import type { HandlerMap } from "../api/types.js";
import { pageArgs, pageOutput } from "../domain/pagination.js";
import {
  createTieringConfiguration,
  deleteTieringConfiguration,
  requireTieringConfiguration,
  tieringConfigurationListMember,
  tieringConfigurations,
  tieringConfigurationShape,
  updateTieringConfiguration,
} from "../domain/tiering.js";

export const tieringHandlers = {
  CreateTieringConfiguration: (input, ctx) => {
    const t = createTieringConfiguration(ctx, input);
    return { TieringConfigurationName: t.TieringConfigurationName, TieringConfigurationArn: t.TieringConfigurationArn, CreationTime: t.CreationTime };
  },

  GetTieringConfiguration: (input, ctx) => ({
    TieringConfiguration: tieringConfigurationShape(requireTieringConfiguration(ctx.store, ctx.scope, input.TieringConfigurationName)),
  }),

  UpdateTieringConfiguration: (input, ctx) => {
    const t = updateTieringConfiguration(ctx, input.TieringConfigurationName, input.TieringConfiguration);
    return {
      TieringConfigurationName: t.TieringConfigurationName,
      TieringConfigurationArn: t.TieringConfigurationArn,
      CreationTime: t.CreationTime,
      LastUpdatedTime: t.LastUpdatedTime,
    };
  },

  DeleteTieringConfiguration: (input, ctx) => {
    deleteTieringConfiguration(ctx, input.TieringConfigurationName);
    return {};
  },

  ListTieringConfigurations: (input, ctx) => {
    const { limit, after } = pageArgs("ListTieringConfigurations", input);
    const page = tieringConfigurations(ctx.store).list(ctx.scope, {}, limit, after);
    return pageOutput("ListTieringConfigurations", "TieringConfigurations", page, tieringConfigurationListMember);
  },
} satisfies Partial<HandlerMap>;
