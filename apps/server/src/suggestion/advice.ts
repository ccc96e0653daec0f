/** Asks the CandidateAdvisor (the LLM module) for proposals before the policy runs. Outside any database
 *  transaction (it does network I/O) and never fatal: any failure means no external candidates. */
import { designPhase } from '@hpo/core';
import type { CandidateAdvisor, StudyView, Suggestion } from '@hpo/core';
import { validateAssignment } from '@hpo/space';
import type { StudyRecord, TenantRecord } from '../storage/storage';

export interface Advice {
  candidates: Suggestion[];
  tokensUsed: number;
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
  // The design's rule (libs/core initial-design.ts), the one GP_BANDIT follows: during the design only a
  // warm start is of use (the GP takes nothing else there), and only while it has slots left.
  const phase = designPhase(study.config, view);
  const purpose = phase.inDesign ? 'warm_start' : 'candidates';
  if (purpose === 'warm_start' && (!llm.warmStart || phase.warmStartWanted === 0)) return { candidates: [], tokensUsed: 0 };
  if (purpose === 'candidates' && !llm.candidateSampling) return { candidates: [], tokensUsed: 0 };
  try {
    const r = await advisor.propose({
      study: view,
      count: purpose === 'warm_start' ? Math.min(count, phase.warmStartWanted) : count,
      purpose,
      tenantId: String(tenant.id),
      studyId: String(study.id),
      tokensUsedSoFar: study.llmTokensUsed,
    });
    const tokensUsed = Number.isFinite(r?.tokensUsed) && r.tokensUsed > 0 ? Math.round(r.tokensUsed) : 0;
    const origin = purpose === 'warm_start' ? 'llm-warm-start' : 'llm-candidate';
    return { candidates: keepValid(study, Array.isArray(r?.candidates) ? r.candidates : [], origin), tokensUsed };
  } catch (error) {
    warn(`candidate advisor failed for studies/${study.id}; continuing without it: ${(error as Error)?.message ?? String(error)}`);
    return { candidates: [], tokensUsed: 0 };
  }
}

/** Advice reaches the policy only if it is a valid configuration of the space (defence in depth: the
 *  advisor validates too), with the origin of what was asked for, whatever the advisor labelled it. */
function keepValid(study: StudyRecord, candidates: Suggestion[], origin: 'llm-warm-start' | 'llm-candidate'): Suggestion[] {
  const space = { parameters: study.config.parameters };
  const out: Suggestion[] = [];
  for (const c of candidates) {
    try {
      out.push({ ...c, origin, parameters: validateAssignment(space, c.parameters), resumeTrialId: undefined });
    } catch {
      // dropped: an invalid proposal costs nothing
    }
  }
  return out;
}
