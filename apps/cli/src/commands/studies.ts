/** `hpo studies list|show|delete`. */
import { Command } from 'commander';
import { addClientOptions, ClientFlags, clientFrom } from '../client-options';
import { formatAssignment, formatNumber, formatTime, studiesTable } from '../format';
import { resolveStudy } from '../resolve-study';
import { runAction } from '../run-action';

interface JsonFlag {
  json?: boolean;
}

export function studiesCommand(): Command {
  const studies = new Command('studies').description("list, show and delete the tenant's studies");

  addClientOptions(studies.command('list').description('list studies, newest first'))
    .option('--json', 'print JSON')
    .action(
      runAction(async (flags: ClientFlags & JsonFlag) => {
        const client = clientFrom(flags);
        try {
          const all = [];
          for await (const s of client.allStudies()) all.push(s);
          process.stdout.write(flags.json ? JSON.stringify(all, null, 2) + '\n' : all.length ? studiesTable(all) + '\n' : 'no studies\n');
        } finally {
          client.close();
        }
      }),
    );

  addClientOptions(studies.command('show').argument('<study>', 'studies/ID, ID or display name').description("a study's configuration, counts and best trial"))
    .option('--json', 'print JSON')
    .action(
      runAction(async (ref: string, flags: ClientFlags & JsonFlag) => {
        const client = clientFrom(flags);
        try {
          const study = await resolveStudy(client, ref);
          const optimal = await client.listOptimalTrials(study.name);
          if (flags.json) {
            process.stdout.write(JSON.stringify({ study, optimalTrials: optimal }, null, 2) + '\n');
            return;
          }
          const c = study.config;
          const counts = Object.entries(study.trialCounts).map(([k, v]) => `${k} ${v}`).join(', ');
          const lines = [
            `${study.name}  "${study.displayName}"  ${study.state}  created ${formatTime(study.createTime)}`,
            `algorithm ${c.algorithm} (${c.acquisition}), early stopping ${c.earlyStopping.mode}` +
              (c.earlyStopping.maxStep ? ` max_step ${c.earlyStopping.maxStep}` : ''),
            `metrics: ${c.metrics.map((m) => `${m.name} (${m.goal})`).join(', ')}`,
            `max trials ${c.maxTrials || 'unlimited'}, max parallel ${c.maxParallel || 'unlimited'}, lease ${c.leaseSeconds || 300} s, seed ${c.seed}`,
            `parameters: ${JSON.stringify(c.parameters)}`,
            `trials: ${counts}`,
          ];
          if (c.problemDescription) lines.push(`problem: ${c.problemDescription}`);
          for (const t of optimal) {
            const metrics = Object.entries(t.finalMeasurement?.metrics ?? {}).map(([k, v]) => `${k}=${formatNumber(v)}`).join(' ');
            lines.push(`best: trial ${t.id} ${metrics}  ${formatAssignment(t.parameters)}`);
          }
          process.stdout.write(lines.join('\n') + '\n');
        } finally {
          client.close();
        }
      }),
    );

  addClientOptions(studies.command('delete').argument('<study>', 'studies/ID, ID or display name').description('delete a study and its trials'))
    .action(
      runAction(async (ref: string, flags: ClientFlags) => {
        const client = clientFrom(flags);
        try {
          const study = await resolveStudy(client, ref);
          await client.deleteStudy(study.name);
          process.stdout.write(`deleted ${study.name} ("${study.displayName}")\n`);
        } finally {
          client.close();
        }
      }),
    );

  return studies;
}
