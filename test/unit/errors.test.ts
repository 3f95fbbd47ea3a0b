import { describe, expect, it } from "vitest";
import { AlreadyExistsException, ConflictException, ResourceNotFoundException, ServiceUnavailableException } from "../../generated/errors.js";
import { notImplemented, serializationError, toWireError, unknownOperation } from "../../src/protocol/errors.js";

describe("toWireError", () => {
  it("writes a modeled error with its status, the X-Amzn-ErrorType header and Message, message, Code, Type and Context", () => {
    const w = toWireError(new ResourceNotFoundException("Backup vault v1 does not exist.", { Context: "v1" }));
    expect(w.status).toBe(400);
    expect(w.headers).toEqual({ "X-Amzn-ErrorType": "ResourceNotFoundException" });
    expect(w.body).toEqual({ message: "Backup vault v1 does not exist.", Message: "Backup vault v1 does not exist.", Code: "ResourceNotFoundException", Type: "User", Context: "v1" });
    expect(w.unexpected).toBe(false);
  });

  it("keeps a service code in Code, the modeled status of each error and its extra members", () => {
    const conflict = toWireError(new ConflictException("busy", { Code: "ERROR_1234" }));
    expect(conflict.status).toBe(409);
    expect(conflict.body.Code).toBe("ERROR_1234");
    expect(conflict.headers["X-Amzn-ErrorType"]).toBe("ConflictException");
    const unavailable = toWireError(new ServiceUnavailableException("later"));
    expect(unavailable.status).toBe(500);
    expect(unavailable.body.Type).toBe("Server");
    const exists = toWireError(new AlreadyExistsException("taken", { Arn: "arn:x", CreatorRequestId: "r1" }));
    expect(exists.body).toMatchObject({ Arn: "arn:x", CreatorRequestId: "r1" });
  });

  it("writes protocol failures with their own status and name", () => {
    expect(toWireError(serializationError("bad json"))).toMatchObject({ status: 400, headers: { "X-Amzn-ErrorType": "SerializationException" } });
    const unknown = toWireError(unknownOperation("GET", "/nope"));
    expect(unknown.status).toBe(404);
    expect(unknown.body.Message).toBe("No AWS Backup operation matches GET /nope");
    const pending = toWireError(notImplemented("CreateFramework"));
    expect(pending.status).toBe(501);
    expect(pending.body.Message).toContain("CreateFramework");
    expect(pending.body.Type).toBe("Server");
  });

  it("turns anything else into a 500 InternalFailure with the same envelope and no detail of the cause", () => {
    const w = toWireError(new TypeError("secret detail at /src/file.ts:1"));
    expect(w.status).toBe(500);
    expect(w.headers).toEqual({ "X-Amzn-ErrorType": "InternalFailure" });
    expect(w.body.Code).toBe("InternalFailure");
    expect(typeof w.body.Message).toBe("string");
    expect(w.body.message).toBe(w.body.Message);
    expect(JSON.stringify(w.body)).not.toContain("secret");
    expect(w.unexpected).toBe(true);
  });
});
