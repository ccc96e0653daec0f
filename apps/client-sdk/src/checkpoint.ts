/** Per-trial checkpoint folders. A paused trial's training state lives here until a later SuggestTrials
 *  hands the trial back (with resume_from_step) and the training function restores it. */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Checkpoint<T = unknown> {
  /** The last step the saved state has trained (the trial resumes at step + 1). */
  step: number;
  state: T;
  /** Milliseconds since the Unix epoch. */
  savedAt: number;
}

const MANIFEST = 'checkpoint.json';

export function defaultCheckpointRoot(): string {
  return process.env.HPO_CHECKPOINT_ROOT ?? path.join(os.tmpdir(), 'hpo-checkpoints');
}

/** "studies/7/trials/3" under `root` → root/studies_7/trial-3. */
export function trialCheckpointDir(root: string, trialName: string): string {
  const match = /^(studies\/[^/]+)\/trials\/([^/]+)$/.exec(trialName);
  if (!match) throw new Error(`trial name ${JSON.stringify(trialName)} is not "studies/{id}/trials/{id}"`);
  return path.join(root, match[1].replace(/[^A-Za-z0-9._-]/g, '_'), `trial-${match[2]}`);
}

/** Writes the manifest last and by rename, so a crash mid-save leaves the previous checkpoint whole
 *  (files the training code wrote beside it before calling this are part of the new one). */
export async function saveCheckpoint<T>(dir: string, step: number, state: T): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const checkpoint: Checkpoint<T> = { step, state, savedAt: Date.now() };
  const tmp = path.join(dir, `${MANIFEST}.${process.pid}.tmp`);
  await fs.writeFile(tmp, JSON.stringify(checkpoint));
  await fs.rename(tmp, path.join(dir, MANIFEST));
}

export async function loadCheckpoint<T>(dir: string): Promise<Checkpoint<T> | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as Checkpoint<T>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** A fresh trial starts from an empty folder (ids may repeat across servers sharing one root). */
export async function clearCheckpoint(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
}
