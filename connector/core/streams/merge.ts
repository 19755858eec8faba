/**
 * Several event generators read at once, their events in arrival order: how partitions with a
 * budget each at the vendor run side by side (run.ts). Each producer hands over one event and waits
 * until the consumer asks for the next one, so nothing piles up in memory and an event's effects
 * downstream (records staged, a state committed) happen before its producer goes on. An error of
 * one producer ends the merge once the events delivered before it are out; the others are closed.
 */
export async function* mergeGenerators<T>(tasks: ReadonlyArray<() => AsyncGenerator<T>>, concurrency: number): AsyncGenerator<T> {
  const handed: Array<{ value: T; taken: () => void }> = [];
  const iterators: AsyncGenerator<T>[] = [];
  let wake: (() => void) | undefined;
  let failure: { error: unknown } | undefined;
  let running = 0;
  let next = 0;
  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const pump = async (iterator: AsyncGenerator<T>) => {
    try {
      for (;;) {
        const step = await iterator.next();
        if (step.done) break;
        await new Promise<void>((taken) => {
          handed.push({ value: step.value, taken });
          notify();
        });
        if (failure) break;
      }
    } catch (error) {
      failure ??= { error };
    } finally {
      running--;
      startMore();
      notify();
    }
  };
  const startMore = () => {
    while (!failure && running < Math.max(1, concurrency) && next < tasks.length) {
      const iterator = tasks[next++]!();
      iterators.push(iterator);
      running++;
      void pump(iterator);
    }
  };
  startMore();
  try {
    for (;;) {
      const item = handed.shift();
      if (item) {
        yield item.value;
        item.taken();
        continue;
      }
      if (failure) throw failure.error;
      if (running === 0 && next >= tasks.length) return;
      await new Promise<void>((resume) => (wake = resume));
    }
  } finally {
    // Stopped early (an error, or the consumer left): release waiting producers and close them.
    failure ??= { error: new Error('merge closed') };
    for (const item of handed.splice(0)) item.taken();
    // Not awaited: a producer mid-request finishes its step first, and its event is then dropped.
    for (const iterator of iterators) void iterator.return(undefined).catch(() => undefined);
  }
}
