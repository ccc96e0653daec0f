/** The LLM module of the server: provides CANDIDATE_ADVISOR (libs/llm's LlmAdvisor over the providers
 *  the server is configured for) to the whole app. startServer imports LlmModule.forRoot(...) unless
 *  the caller brings its own advisor; HPO_LLM_* variables configure it (llm-settings.ts). */
import type { CandidateAdvisor } from '@hpo/core';
import { LlmAdvisor, type AdvisorLogger, type LlmAdvisorOptions } from '@hpo/llm';
import { Module, type DynamicModule } from '../nest';
import { CANDIDATE_ADVISOR } from '../suggestion/candidate-advisor.token';
import type { Storage } from '../storage/storage';
import { llmSettingsFromEnv, type LlmSettings } from './llm-settings';
import { LlmProviderRegistry } from './provider-registry';
import { StoredTenantTokenLedger, type TenantTokenStore } from './tenant-token-ledger';

/** Logs through whatever the server logs with: pino-style (fields, message) or Nest-style (message). */
export interface LlmLogger {
  warn(message: unknown, ...rest: unknown[]): void;
  debug?(message: unknown, ...rest: unknown[]): void;
}

/** The advisor and what it holds open (provider connections, a model's worker thread). */
export class ServerCandidateAdvisor implements CandidateAdvisor {
  private readonly advisor: CandidateAdvisor;
  readonly registry: LlmProviderRegistry;

  constructor(readonly settings: LlmSettings, logger: LlmLogger, tokenStore: TenantTokenStore, overrides: Partial<LlmAdvisorOptions> = {}) {
    this.registry = new LlmProviderRegistry(settings);
    const advisorLogger: AdvisorLogger = {
      warn: (fields, message) => logger.warn({ ...fields, msg: message, context: 'llm' }),
      debug: (fields, message) => logger.debug?.({ ...fields, msg: message, context: 'llm' }),
    };
    this.advisor = new LlmAdvisor({
      providerFor: (config, tenantId) => this.registry.providerFor(config, tenantId),
      logger: advisorLogger,
      defaultMaxTokensTotal: settings.studyMaxTokens,
      defaultTimeoutSeconds: settings.timeoutSeconds,
      tenantLedger: new StoredTenantTokenLedger(settings.tenantTokensPerDay, tokenStore),
      tenantAllowed: () => !settings.disabled,
      ...overrides,
    });
  }

  propose(request: Parameters<CandidateAdvisor['propose']>[0]): ReturnType<CandidateAdvisor['propose']> {
    return this.advisor.propose(request);
  }

  /** Nest calls this when the app closes. */
  async onModuleDestroy(): Promise<void> {
    await this.registry.close();
  }
}

@Module({})
export class LlmModule {
  /** A global module providing CANDIDATE_ADVISOR; settings default to the environment's. */
  static forRoot(options: { logger: LlmLogger; storage: Storage; settings?: LlmSettings; dataDir?: string }): DynamicModule {
    const settings = options.settings ?? llmSettingsFromEnv(process.env, options.dataDir);
    return {
      module: LlmModule,
      global: true,
      providers: [{ provide: CANDIDATE_ADVISOR, useValue: new ServerCandidateAdvisor(settings, options.logger, options.storage) }],
      exports: [CANDIDATE_ADVISOR],
    };
  }
}
