import { describe, expect, it } from "vitest";
import { calculateLifecycle, validateLifecycle } from "../../src/domain/lifecycle.js";

const DAY = 86_400;

function errorOf(fn: () => void): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a refusal");
}

describe("validateLifecycle", () => {
  it("accepts no lifecycle, either member alone, and retention of exactly 90 days after the move to cold storage", () => {
    expect(() => validateLifecycle(undefined)).not.toThrow();
    expect(() => validateLifecycle({})).not.toThrow();
    expect(() => validateLifecycle({ DeleteAfterDays: 1 })).not.toThrow();
    expect(() => validateLifecycle({ MoveToColdStorageAfterDays: 1 })).not.toThrow();
    expect(() => validateLifecycle({ MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 })).not.toThrow();
  });

  it("refuses retention shorter than 90 days after the move to cold storage, naming both members and where they are", () => {
    const err = errorOf(() => validateLifecycle({ MoveToColdStorageAfterDays: 30, DeleteAfterDays: 119 }, "BackupPlan.Rules[0].Lifecycle"));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("BackupPlan.Rules[0].Lifecycle");
    expect(err.message).toContain("DeleteAfterDays (119)");
    expect(err.message).toContain("MoveToColdStorageAfterDays (30)");
  });

  it("accepts -1, which unsets a period, and then applies no 90-day rule", () => {
    expect(() => validateLifecycle({ MoveToColdStorageAfterDays: -1, DeleteAfterDays: -1 })).not.toThrow();
    expect(() => validateLifecycle({ MoveToColdStorageAfterDays: -1, DeleteAfterDays: 7 })).not.toThrow();
  });

  it("refuses zero and negative day counts other than -1", () => {
    for (const lc of [{ DeleteAfterDays: 0 }, { MoveToColdStorageAfterDays: -2 }, { MoveToColdStorageAfterDays: 0 }]) {
      const err = errorOf(() => validateLifecycle(lc));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toMatch(/Lifecycle\.(DeleteAfterDays|MoveToColdStorageAfterDays)/);
    }
  });

  it("refuses day counts beyond the service's maximum of 100 years (36,500 days)", () => {
    expect(() => validateLifecycle({ DeleteAfterDays: 36_500 })).not.toThrow();
    for (const lc of [{ DeleteAfterDays: 36_501 }, { MoveToColdStorageAfterDays: 36_501 }]) {
      const err = errorOf(() => validateLifecycle(lc));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain("36500");
    }
  });
});

describe("calculateLifecycle", () => {
  const created = 1_700_000_000.5;

  it("gives no dates without a lifecycle", () => {
    expect(calculateLifecycle(undefined, created, "EBS")).toBeUndefined();
    expect(calculateLifecycle({}, created, "EBS")).toBeUndefined();
  });

  it("counts both dates in whole days from the creation time for a type that can move to cold storage", () => {
    expect(calculateLifecycle({ MoveToColdStorageAfterDays: 30, DeleteAfterDays: 365 }, created, "EFS")).toEqual({
      MoveToColdStorageAt: created + 30 * DAY,
      DeleteAt: created + 365 * DAY,
    });
  });

  it("gives no date for a period unset with -1", () => {
    expect(calculateLifecycle({ MoveToColdStorageAfterDays: -1, DeleteAfterDays: -1 }, created, "EFS")).toBeUndefined();
    expect(calculateLifecycle({ MoveToColdStorageAfterDays: -1, DeleteAfterDays: 10 }, created, "EFS")).toEqual({ DeleteAt: created + 10 * DAY });
  });

  it("ignores the move to cold storage for a type that has no cold storage", () => {
    expect(calculateLifecycle({ MoveToColdStorageAfterDays: 30, DeleteAfterDays: 365 }, created, "RDS")).toEqual({ DeleteAt: created + 365 * DAY });
    expect(calculateLifecycle({ MoveToColdStorageAfterDays: 30 }, created, "S3")).toBeUndefined();
  });
});
