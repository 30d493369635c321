import { describe, expect, it } from "vitest";
import { createGroupCommit } from "../src/lib/group-commit.js";

/** A writer whose batches finish only when the test says so. */
function gatedWriter() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  return {
    batches,
    release: () => gates.shift()?.(),
    write: async (items: number[]) => {
      batches.push(items);
      await new Promise<void>((r) => gates.push(r));
      return items.map((i) => i * 10);
    },
  };
}
const tick = () => new Promise((r) => setImmediate(r));

describe("group commit", () => {
  it("writes what one tick submits as one batch and answers each caller with its own result", async () => {
    const w = gatedWriter();
    const gc = createGroupCommit({ write: w.write, maxBatch: 100 });
    const results = [1, 2, 3].map((i) => gc.submit(i));
    expect(gc.pending).toBe(3);
    await tick();
    expect(w.batches).toEqual([[1, 2, 3]]);
    w.release();
    expect(await Promise.all(results)).toEqual([10, 20, 30]);
  });

  it("gathers what arrives during a write into the next batch, one batch at a time", async () => {
    const w = gatedWriter();
    const gc = createGroupCommit({ write: w.write, maxBatch: 100 });
    const first = gc.submit(1);
    await tick();
    const later = [2, 3, 4].map((i) => gc.submit(i));
    await tick();
    expect(w.batches).toEqual([[1]]); // nothing else starts while a batch is being written
    w.release();
    await first;
    await tick();
    expect(w.batches).toEqual([[1], [2, 3, 4]]);
    w.release();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it("cuts a full buffer into a batch at once, and on request", async () => {
    const w = gatedWriter();
    const gc = createGroupCommit({ write: w.write, maxBatch: 2 });
    const all = [1, 2, 3].map((i) => gc.submit(i));
    gc.cut();
    const four = gc.submit(4);
    expect(w.batches[0]).toEqual([1, 2]);
    for (let i = 0; i < 3; i++) {
      w.release();
      await tick();
    }
    expect(w.batches).toEqual([[1, 2], [3], [4]]);
    expect(await Promise.all([...all, four])).toEqual([10, 20, 30, 40]);
  });

  it("fails only the batch whose write failed", async () => {
    let calls = 0;
    const gc = createGroupCommit<number, number>({
      maxBatch: 100,
      write: async (items) => {
        calls += 1;
        if (calls === 1) throw new Error("disk full");
        return items;
      },
    });
    const failed = gc.submit(1);
    await expect(failed).rejects.toThrow("disk full");
    expect(await gc.submit(2)).toBe(2);
  });

  it("flush resolves once everything submitted is written", async () => {
    const written: number[] = [];
    const gc = createGroupCommit<number, number>({
      maxBatch: 3,
      write: async (items) => {
        await new Promise((r) => setTimeout(r, 5));
        written.push(...items);
        return items;
      },
    });
    const all = Array.from({ length: 10 }, (_, i) => gc.submit(i));
    await gc.flush();
    expect(written).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(gc.pending).toBe(0);
    await Promise.all(all);
  });

  it("with two writers, a second batch commits while the first is in flight, and a third waits", async () => {
    const w = gatedWriter();
    const gc = createGroupCommit({ write: w.write, maxBatch: 100, writers: 2 });
    const first = gc.submit(1);
    await tick();
    const second = gc.submit(2);
    await tick();
    const third = [3, 4].map((i) => gc.submit(i));
    await tick();
    expect(w.batches).toEqual([[1], [2]]); // both writers busy: 3 and 4 gather
    w.release();
    expect(await first).toBe(10);
    await tick();
    expect(w.batches).toEqual([[1], [2], [3, 4]]);
    w.release();
    w.release();
    expect(await second).toBe(20);
    expect(await Promise.all(third)).toEqual([30, 40]);
  });

  it("with two writers, flush waits for every batch in flight, across a writer going idle", async () => {
    const written: number[] = [];
    let slow = true;
    const gc = createGroupCommit<number, number>({
      maxBatch: 2,
      writers: 2,
      write: async (items) => {
        // The first batch outlives several later ones: a writer goes idle while another is busy.
        const wait = slow ? 40 : 2;
        slow = false;
        await new Promise((r) => setTimeout(r, wait));
        written.push(...items);
        return items;
      },
    });
    const all = Array.from({ length: 9 }, (_, i) => gc.submit(i));
    await gc.flush();
    expect([...written].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(gc.pending).toBe(0);
    await Promise.all(all);
  });
});
