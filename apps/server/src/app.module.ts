/** The server's Nest module, built around singletons created by startServer (storage, worker pool,
 *  logger) so that their lifetime is the server's. */
import { DynamicModule, Module, Provider } from './nest';
import type { CandidateAdvisor } from '@hpo/core';
import { TenantGuard } from './auth/tenant.guard';
import { StudyController } from './grpc/study.controller';
import { QUOTA_CONFIG, QuotaGuard } from './quotas/quota.guard';
import type { QuotaConfig } from './quotas/quota-config';
import { SUGGESTION_ADMISSION, SuggestionAdmission, SuggestionAdmissionInterceptor } from './quotas/suggestion-admission';
import type { AppLogger } from './logging/pino-logger.service';
import type { Storage } from './storage/storage';
import { StudyService } from './studies/study.service';
import { SuggestionCoordinator } from './studies/suggestion-coordinator';
import { TrialLifecycle } from './studies/trial-lifecycle.service';
import { CANDIDATE_ADVISOR } from './suggestion/candidate-advisor.token';
import type { PolicyRunner } from './suggestion/policy-runner';
import { APP_LOGGER, POLICY_RUNNER, SERVER_SETTINGS, STORAGE, ServerSettings } from './tokens';

export interface AppDependencies {
  storage: Storage;
  /** Where policies run: the worker pool, or inline (tests). */
  pool: PolicyRunner;
  logger: AppLogger;
  settings: ServerSettings;
  candidateAdvisor?: CandidateAdvisor;
  /** Per-tenant quotas (server defaults when omitted). */
  quotas?: QuotaConfig;
  /** Bound on queued SuggestTrials calls (backpressure); a default-sized one when omitted. */
  admission?: SuggestionAdmission;
  /** Extra Nest modules (e.g. the LLM module, which provides CANDIDATE_ADVISOR globally). */
  imports?: DynamicModule['imports'];
}

@Module({})
export class AppModule {
  static forRoot(deps: AppDependencies): DynamicModule {
    const providers: Provider[] = [
      { provide: STORAGE, useValue: deps.storage },
      { provide: POLICY_RUNNER, useValue: deps.pool },
      { provide: APP_LOGGER, useValue: deps.logger },
      { provide: SERVER_SETTINGS, useValue: deps.settings },
      { provide: QUOTA_CONFIG, useValue: deps.quotas ?? {} },
      TenantGuard,
      QuotaGuard,
      { provide: SUGGESTION_ADMISSION, useValue: deps.admission ?? new SuggestionAdmission() },
      SuggestionAdmissionInterceptor,
      StudyService,
      SuggestionCoordinator,
      TrialLifecycle,
    ];
    if (deps.candidateAdvisor) providers.push({ provide: CANDIDATE_ADVISOR, useValue: deps.candidateAdvisor });
    return { module: AppModule, imports: deps.imports ?? [], controllers: [StudyController], providers };
  }
}
