/** Keeps the leases of the trials a process holds alive while their training functions run, and
 *  relays StopTrial requests the server announces in heartbeat replies. */
import type { HpoClient } from './client';

export interface HeartbeaterOptions {
  client: HpoClient;
  /** "studies/{study_id}" */
  parent: string;
  intervalMs: number;
  /** Called with a held trial's name when the server says it was asked to stop. */
  onStopRequested: (trialName: string) => void;
  /** Heartbeat failures are not fatal (the next beat may succeed, and a lost lease surfaces as an
   *  error on the trial's next report); this hears about them. */
  onError?: (err: unknown) => void;
}

export class Heartbeater {
  /** trial name → client id that holds it. */
  private readonly held = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private beating = false;

  constructor(private readonly options: HeartbeaterOptions) {}

  hold(trialName: string, clientId: string): void {
    this.held.set(trialName, clientId);
    if (!this.timer) {
      this.timer = setInterval(() => void this.beat(), this.options.intervalMs);
      this.timer.unref();
    }
  }

  release(trialName: string): void {
    this.held.delete(trialName);
    if (this.held.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One heartbeat per client id that holds trials (a worker slot is one client id). */
  async beat(): Promise<void> {
    if (this.beating) return; // a slow reply must not pile up beats
    this.beating = true;
    try {
      const clientIds = new Set(this.held.values());
      await Promise.all(
        [...clientIds].map(async (clientId) => {
          try {
            const reply = await this.options.client.heartbeat(
              { parent: this.options.parent, clientId },
              { timeoutMs: Math.max(1000, this.options.intervalMs), retry: { maxAttempts: 2 } },
            );
            for (const name of reply.stoppingTrialNames) {
              if (this.held.has(name)) this.options.onStopRequested(name);
            }
          } catch (err) {
            this.options.onError?.(err);
          }
        }),
      );
    } finally {
      this.beating = false;
    }
  }
}
