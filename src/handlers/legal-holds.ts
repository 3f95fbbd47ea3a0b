/** Legal hold operations. */
import { InvalidParameterValueException } from "../../generated/errors.js";
import type { HandlerMap } from "../api/types.js";
import {
  cancelLegalHold,
  createLegalHold,
  findLegalHold,
  legalHoldListMember,
  legalHoldOutput,
  listLegalHolds,
  noSuchHold,
  recoveryPointMember,
  recoveryPointsOfHold,
  requireLegalHold,
} from "../domain/legal-holds.js";
import { pageArgs, pageOutput } from "../domain/pagination.js";

export const legalHoldHandlers = {
  CreateLegalHold: (input, ctx) => {
    const h = createLegalHold(ctx, {
      Title: input.Title,
      Description: input.Description,
      RecoveryPointSelection: input.RecoveryPointSelection,
      Tags: input.Tags,
    });
    const { Title, Status, Description, LegalHoldId, LegalHoldArn, CreationDate, RecoveryPointSelection } = h;
    return { Title, Status, Description, LegalHoldId, LegalHoldArn, CreationDate, ...(RecoveryPointSelection ? { RecoveryPointSelection } : {}) };
  },

  GetLegalHold: (input, ctx) => legalHoldOutput(requireLegalHold(ctx, input.LegalHoldId)),

  CancelLegalHold: (input, ctx) => {
    cancelLegalHold(ctx, input.LegalHoldId, input.CancelDescription, input.RetainRecordInDays);
    return {};
  },

  ListLegalHolds: (input, ctx) => {
    const { limit, after } = pageArgs("ListLegalHolds", input);
    return pageOutput("ListLegalHolds", "LegalHolds", listLegalHolds(ctx, limit, after), legalHoldListMember);
  },

  ListRecoveryPointsByLegalHold: (input, ctx) => {
    const { limit, after } = pageArgs("ListRecoveryPointsByLegalHold", input);
    const hold = findLegalHold(ctx, input.LegalHoldId);
    // The model lists no ResourceNotFoundException for this operation: an unknown id is a bad parameter.
    if (!hold) throw new InvalidParameterValueException(noSuchHold(ctx, input.LegalHoldId), { Context: input.LegalHoldId });
    return pageOutput("ListRecoveryPointsByLegalHold", "RecoveryPoints", recoveryPointsOfHold(ctx, hold, limit, after), recoveryPointMember);
  },
} satisfies Partial<HandlerMap>;
