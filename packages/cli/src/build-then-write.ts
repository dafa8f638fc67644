/**
 * A queue that builds jobs one after another and writes their results one after another, each
 * result written while the next job is built, so the thread does not sit idle waiting for the
 * disk. At most one build and one write run at once, and a job's build starts only when the
 * write two jobs back has finished: one built result waits for the disk, never more (memory
 * stays bounded however many jobs are queued). After a failure no further job is built; its
 * promise, and every later one, rejects with that failure.
 *
 * @example
 * const push = buildThenWrite((area) => buildReport(area), (area, report) => writeReport(area, report));
 * await Promise.all(areas.map(push));
 */
export function buildThenWrite<J, B, R>(build: (job: J) => Promise<B>, write: (job: J, built: B) => Promise<R>): (job: J) => Promise<R> {
  let lastBuild: Promise<unknown> = Promise.resolve();
  let lastWrite: Promise<unknown> = Promise.resolve();
  let writeBefore: Promise<unknown> = Promise.resolve();
  let failure: { error: unknown } | null = null;
  const settled = (p: Promise<unknown>) => p.then(
    () => undefined,
    () => undefined,
  );
  const guard = <T>(p: Promise<T>): Promise<T> =>
    p.catch((e: unknown) => {
      failure ??= { error: e };
      throw e;
    });
  return (job) => {
    const b = guard(
      Promise.all([settled(lastBuild), settled(writeBefore)]).then(() => {
        if (failure) throw failure.error;
        return build(job);
      }),
    );
    const w = guard(
      Promise.all([b, settled(lastWrite)]).then(([built]) => {
        if (failure) throw failure.error;
        return write(job, built);
      }),
    );
    lastBuild = b;
    writeBefore = lastWrite;
    lastWrite = w;
    // Handled here (the caller awaits it): a failure is not an unhandled rejection meanwhile.
    w.catch(() => undefined);
    return w;
  };
}
