/** Expires leases on a timer (SuggestTrials also does it lazily for its study): ACTIVE trials whose
 *  lease passed, by the database's clock, become FAILED exactly once (a single conditional UPDATE), so
 *  any replica may run it. */
import type { AppLogger } from '../logging/pino-logger.service';
import type { Storage } from '../storage/storage';

export class LeaseReaper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly storage: Storage,
    private readonly logger: AppLogger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.sweep().finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
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
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
