/** Moving an emulator's clock through its own endpoint, as a user's test would. */
export async function advance(endpoint: string, seconds: number): Promise<{ now: number; workPerformed: number }> {
  const res = await fetch(`${endpoint}/_emulator/clock`, { method: "POST", body: JSON.stringify({ advanceSeconds: seconds }), headers: { "content-type": "application/json" } });
  if (res.status !== 200) throw new Error(`clock advance failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { now: number; workPerformed: number };
}

export async function putResource(endpoint: string, arn: string, tags: Record<string, string> = {}, where: { AccountId?: string; Region?: string } = {}): Promise<void> {
  const res = await fetch(`${endpoint}/_emulator/resources`, { method: "PUT", body: JSON.stringify({ ResourceArn: arn, Tags: tags, ...where }) });
  if (res.status !== 200) throw new Error(`resource registration failed: ${res.status} ${await res.text()}`);
}

export const DAY = 86_400;
export const iso = (d: Date | undefined) => d?.toISOString();
