import { describe, it, expect } from "vitest";
import { buildThenWrite } from "@community-safety/cli";

/** A promise with its resolve/reject outside. */
function deferred<T = undefined>() {
  let resolve!: (v?: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => ((resolve = (v?: T) => a(v as T)), (reject = b)));
  return { promise, resolve, reject };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("buildThenWrite: one build and one write at a time, the next built while one is written", () => {
  it("overlaps build k+1 with write k, holds build k+2 until write k is done, and keeps the order", async () => {
    const log: string[] = [];
    const builds = new Map<number, ReturnType<typeof deferred<number>>>();
    const writes = new Map<number, ReturnType<typeof deferred<undefined>>>();
    const push = buildThenWrite(
      (k: number) => {
        log.push(`build ${k}`);
        const d = deferred<number>();
        builds.set(k, d);
        return d.promise;
      },
      (k: number, built: number) => {
        log.push(`write ${k} (${built})`);
        const d = deferred<undefined>();
        writes.set(k, d);
        return d.promise.then(() => `done ${k}`);
      },
    );
    const results = [0, 1, 2, 3].map((k) => push(k));
    await tick();
    expect(log).toEqual(["build 0"]);
    builds.get(0)!.resolve(100);
    await tick();
    // Report 0 is written while report 1 is built.
    expect(log).toEqual(["build 0", "write 0 (100)", "build 1"]);
    builds.get(1)!.resolve(101);
    await tick();
    // Report 1 is built and waits for the disk; report 2 is not built while report 0 is still being written.
    expect(log).toEqual(["build 0", "write 0 (100)", "build 1"]);
    writes.get(0)!.resolve();
    await tick();
    expect(log).toEqual(["build 0", "write 0 (100)", "build 1", "write 1 (101)", "build 2"]);
    builds.get(2)!.resolve(102);
    writes.get(1)!.resolve();
    await tick();
    expect(log.slice(5)).toEqual(["write 2 (102)", "build 3"]);
    builds.get(3)!.resolve(103);
    writes.get(2)!.resolve();
    await tick();
    writes.get(3)!.resolve();
    expect(await Promise.all(results)).toEqual(["done 0", "done 1", "done 2", "done 3"]);
  });

  it("builds nothing after a failure, and every later job rejects with it", async () => {
    const built: number[] = [];
    const push = buildThenWrite(
      async (k: number) => {
        built.push(k);
        if (k === 1) throw new Error("area 1 failed");
        return k;
      },
      async (k: number) => k,
    );
    const results = [0, 1, 2, 3].map((k) => push(k).then((v) => ({ v }), (e: Error) => ({ e: e.message })));
    expect(await Promise.all(results)).toEqual([{ v: 0 }, { e: "area 1 failed" }, { e: "area 1 failed" }, { e: "area 1 failed" }]);
    expect(built).toEqual([0, 1]);
  });

  it("a failed write stops the builds too", async () => {
    const built: number[] = [];
    const push = buildThenWrite(
      async (k: number) => (built.push(k), k),
      async (k: number) => {
        if (k === 0) throw new Error("disk full");
        return k;
      },
    );
    const results = await Promise.allSettled([0, 1, 2, 3].map((k) => push(k)));
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
    expect(built.length).toBeLessThanOrEqual(2);
  });
});
