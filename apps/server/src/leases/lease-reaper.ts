/** Expires leases on a timer (SuggestTrials also does it lazily for its study): ACTIVE trials whose
 *  lease passed, by the database's clock, become FAILED exactly once (a single conditional UPDATE), so
 *  any replica may run it. */
import type { AppLogger } from '../logging/pino-logger.service';
import type { Storage } from '../storage/storage';
import { everyOn, type Clock } from '../clock';

export class LeaseReaper {
  private cancel?: () => void;
  private running?: Promise<void>;

  /** `clock`: whose time the sweeps follow (the server's; a test's ManualClock sweeps as it advances). */
  constructor(
    private readonly storage: Storage,
    private readonly logger: AppLogger,
    private readonly intervalMs: number,
    private readonly clock?: Clock,
  ) {}

  start(): void {
    this.cancel = everyOn(this.clock, this.intervalMs, () => {
      if (!this.running) this.running = this.sweep().finally(() => (this.running = undefined));
    });
  }

  /** The sweep in progress, if any (tests wait for it). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  async sweep(): Promise<void> {
    try {
      const n = await this.storage.expireAllLeases();
      if (n > 0) this.logger.log({ msg: 'leases expired', trials: n });
    } catch (error) {
      this.logger.warn({ msg: 'lease sweep failed', err: error });
    }
  }

  async stop(): Promise<void> {
    this.cancel?.();
    await this.running;
  }
}
