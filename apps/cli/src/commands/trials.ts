/** `hpo trials list STUDY`. */
import { Command } from 'commander';
import { choiceOption } from '../choice-option';
import type { TrialState } from '../../../client-sdk/src';
import { addClientOptions, ClientFlags, clientFrom } from '../client-options';
import { trialsTable } from '../format';
import { resolveStudy } from '../resolve-study';
import { runAction } from '../run-action';

const STATES: TrialState[] = ['REQUESTED', 'ACTIVE', 'PAUSED', 'STOPPING', 'SUCCEEDED', 'INFEASIBLE', 'FAILED', 'EARLY_STOPPED'];

export function trialsCommand(): Command {
  const trials = new Command('trials').description("a study's trials");
  addClientOptions(trials.command('list').argument('<study>', 'studies/ID, ID or display name').description("a study's trials as a table"))
    .addOption(choiceOption('--state <states...>', 'only trials in these states', STATES))
    .option('--json', 'print JSON')
    .action(
      runAction(async (ref: string, flags: ClientFlags & { state?: string[]; json?: boolean }) => {
        const states = flags.state as TrialState[] | undefined;
        const client = clientFrom(flags);
        try {
          const study = await resolveStudy(client, ref);
          const list = await client.allTrials(study.name, states);
          if (flags.json) process.stdout.write(JSON.stringify(list, null, 2) + '\n');
          else if (list.length === 0) process.stdout.write(`${study.name} has no trials\n`);
          else {
            const optimal = new Set((await client.listOptimalTrials(study.name)).map((t) => t.id));
            process.stdout.write(trialsTable(study, list, optimal) + '\n' + (optimal.size ? '★ optimal (ListOptimalTrials)\n' : ''));
          }
        } finally {
          client.close();
        }
      }),
    );
  return trials;
}
