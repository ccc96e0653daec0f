/** `hpo export STUDY --format csv|json [--output FILE]`. */
import * as fs from 'node:fs/promises';
import { Command } from 'commander';
import { choiceOption } from '../choice-option';
import { addClientOptions, ClientFlags, clientFrom } from '../client-options';
import { trialsCsv } from '../format';
import { resolveStudy } from '../resolve-study';
import { runAction } from '../run-action';

export function exportCommand(): Command {
  return addClientOptions(
    new Command('export').argument('<study>', 'studies/ID, ID or display name').description("write a study's trials as CSV (one row a trial, with whether it is optimal) or JSON (study, trials with their curves, optimalTrialIds)"),
  )
    .addOption(choiceOption('--format <format>', 'output format', ['csv', 'json'], 'csv'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(
      runAction(async (ref: string, flags: ClientFlags & { format: 'csv' | 'json'; output?: string }) => {
        const client = clientFrom(flags);
        try {
          const study = await resolveStudy(client, ref);
          const trials = await client.allTrials(study.name);
          trials.sort((a, b) => a.id - b.id);
          const optimal = (await client.listOptimalTrials(study.name)).map((t) => t.id);
          const text = flags.format === 'json'
            ? JSON.stringify({ study, trials, optimalTrialIds: optimal }, null, 2) + '\n'
            : trialsCsv(study, trials, new Set(optimal));
          if (flags.output) await fs.writeFile(flags.output, text);
          else process.stdout.write(text);
        } finally {
          client.close();
        }
      }),
    );
}
