// Push inside a worker process (`kx worker`, and the in-process worker of `npm start`): the
// dispatcher loop (woken by NOTIFY, polling for retries and the deferred), the daily and
// weekly jobs, and the missing-facts notices of items just published.
import type { Ctx } from '../../context.ts';
import type { JobHandler } from '../jobs/queue.ts';
import { closeChannels, createChannels } from './channels/index.ts';
import { Dispatcher, receiptRecorder, type DispatchStats } from './dispatch.ts';
import { pushJobs, scheduleMissingFacts, schedulePushJobs } from './events.ts';

export interface PushWorker {
  jobs: Record<string, JobHandler>;
  /** Fans out and sends what is due now (tests, `kx worker --once`). */
  dispatchOnce(): Promise<DispatchStats>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function pushWorker(ctx: Ctx, log: (m: string) => void = () => {}): PushWorker {
  const record = receiptRecorder(ctx.db, () => ctx.now());
  // Adapters report trouble without addresses or numbers (channels/common.ts).
  const channels = createChannels(ctx.config, {
    log: { info: () => {}, warn: (_o, msg) => log(msg) },
    onSmsReceipt: (r) => void record(r),
  });
  const dispatcher = new Dispatcher(ctx, { channels, log });
  let scan: NodeJS.Timeout | undefined;
  let loop: Promise<void> | undefined;
  let stopped = false;
  const scanOnce = () => scheduleMissingFacts(ctx).catch((e: unknown) => log(`push: ${e instanceof Error ? e.message : String(e)}`));
  return {
    jobs: pushJobs(ctx),
    dispatchOnce: () => dispatcher.runOnce(),
    async start() {
      // A worker stopped while these ran (tests, a quick shutdown) does not start the loop.
      await schedulePushJobs(ctx).catch((e: unknown) => log(`push: ${e instanceof Error ? e.message : String(e)}`));
      await scanOnce();
      if (stopped) return;
      scan = setInterval(() => void scanOnce(), 30_000);
      loop = dispatcher.start();
      await loop;
    },
    async stop() {
      stopped = true;
      clearInterval(scan);
      dispatcher.stop();
      await loop;
      await closeChannels(channels);
    },
  };
}
