/** Asks the CandidateAdvisor (the LLM module) for proposals before the policy runs. Outside any database
 *  transaction (it does network I/O) and never fatal: any failure means no external candidates. */
import type { CandidateAdvisor, StudyView, Suggestion } from '@hpo/core';
import { createEncoder } from '@hpo/space';
import { initialDesignSize as gpInitialDesignSize } from '@hpo/core';
import { validateAssignment } from '@hpo/space';
import type { StudyRecord, TenantRecord } from '../storage/storage';

export interface Advice {
  candidates: Suggestion[];
  tokensUsed: number;
}

/** Trials of the initial design (before the model takes over): GP_BANDIT's own size over the encoded
 *  space, unless the llm block sets it (warm_start_trials). */
export function initialDesignSize(study: StudyRecord): number {
  const explicit = study.config.llm?.warmStartTrials ?? 0;
  if (explicit > 0) return explicit;
  return gpInitialDesignSize(createEncoder({ parameters: study.config.parameters }).dimension);
}

export async function seekAdvice(
  advisor: CandidateAdvisor | undefined,
  tenant: TenantRecord,
  study: StudyRecord,
  view: StudyView,
  count: number,
  warn: (message: string) => void,
): Promise<Advice> {
  const llm = study.config.llm;
  if (!advisor || !llm?.enabled || !tenant.llmEnabled || count <= 0) return { candidates: [], tokensUsed: 0 };
  const started = view.trials.filter((t) => t.state !== 'FAILED').length;
  const purpose = started < initialDesignSize(study) ? 'warm_start' : 'candidates';
  if (purpose === 'warm_start' && !llm.warmStart) return { candidates: [], tokensUsed: 0 };
  if (purpose === 'candidates' && !llm.candidateSampling) return { candidates: [], tokensUsed: 0 };
  try {
    const r = await advisor.propose({
      study: view,
      count,
      purpose,
      tenantId: String(tenant.id),
      studyId: String(study.id),
      tokensUsedSoFar: study.llmTokensUsed,
    });
    const tokensUsed = Number.isFinite(r?.tokensUsed) && r.tokensUsed > 0 ? Math.round(r.tokensUsed) : 0;
    return { candidates: keepValid(study, Array.isArray(r?.candidates) ? r.candidates : []), tokensUsed };
  } catch (error) {
    warn(`candidate advisor failed for studies/${study.id}; continuing without it: ${(error as Error)?.message ?? String(error)}`);
    return { candidates: [], tokensUsed: 0 };
  }
}

/** Advice reaches the policy only if it is a valid configuration of the space (defence in depth: the
 *  advisor validates too). */
function keepValid(study: StudyRecord, candidates: Suggestion[]): Suggestion[] {
  const space = { parameters: study.config.parameters };
  const out: Suggestion[] = [];
  for (const c of candidates) {
    try {
      out.push({ ...c, parameters: validateAssignment(space, c.parameters), resumeTrialId: undefined });
    } catch {
      // dropped: an invalid proposal costs nothing
    }
  }
  return out;
}
