/** Options whose value is one of a fixed set of names, matched ignoring case (`--state paused`,
 *  `--algorithm gp_bandit`) and given to the command in canonical form; anything else is a usage error
 *  quoting what was typed and the allowed names (commander's own `.choices()` is case-sensitive). */
import { InvalidArgumentError, Option } from 'commander';

function canonical(value: string, choices: readonly string[]): string {
  const match = choices.find((c) => c.toLowerCase() === value.toLowerCase());
  if (match === undefined) throw new InvalidArgumentError(`"${value}" is not one of ${choices.join(', ')} (any letter case).`);
  return match;
}

export function choiceOption(flags: string, description: string, choices: readonly string[], defaultValue?: string): Option {
  const option = new Option(flags, `${description} (${choices.join(', ')})`);
  if (option.variadic) {
    option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), canonical(value, choices)]);
  } else {
    option.argParser((value: string) => canonical(value, choices));
  }
  return defaultValue === undefined ? option : option.default(defaultValue);
}
