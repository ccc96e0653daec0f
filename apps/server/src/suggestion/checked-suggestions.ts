/** Suggestions validated against the space, each with its assignment key (for the duplicate check
 *  just before the trials are written). Linear in count x parameters, up to 100 x 1,000 values: the
 *  policy worker does it beside the policy (suggest.worker.ts), so the event loop only reads the
 *  result; a suggestion that arrives unchecked (inline runner, fallback) is checked on the way in. */
import type { StudyConfig, Suggestion } from '@hpo/core';
import { assignmentKey, validateAssignment } from '@hpo/space';

export type CheckedSuggestion = Suggestion & { checked?: { parameters: Suggestion['parameters']; key: string } };

function check(config: StudyConfig, s: Suggestion): CheckedSuggestion {
  const space = { parameters: config.parameters };
  const parameters = validateAssignment(space, s.parameters, 'suggestion.parameters');
  return { ...s, checked: { parameters, key: assignmentKey(space, parameters) } };
}

/** Every new suggestion checked (resumed trials keep their stored parameters); an invalid one throws
 *  InvalidArgumentError naming `suggestion.parameters.<name>`. Already-checked ones are kept. */
export function checkSuggestions(config: StudyConfig, suggestions: CheckedSuggestion[]): CheckedSuggestion[] {
  return suggestions.map((s) => (s.resumeTrialId !== undefined || s.checked ? s : check(config, s)));
}

/** In the worker: checks what it can and leaves an invalid suggestion unchecked, so the event loop's
 *  checkSuggestions raises the same error it always did. The normalised parameters replace the
 *  policy's (one object, so the thread hop clones it once). */
export function checkSuggestionsInWorker(config: StudyConfig, suggestions: Suggestion[]): CheckedSuggestion[] {
  return suggestions.map((s) => {
    if (s.resumeTrialId !== undefined) return s;
    try {
      const c = check(config, s);
      return { ...c, parameters: c.checked!.parameters };
    } catch {
      return s;
    }
  });
}
