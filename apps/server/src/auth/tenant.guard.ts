/** Resolves the caller's tenant before every StudyService handler (failures are UNAUTHENTICATED). */
import { CanActivate, ExecutionContext, Inject, Injectable } from '../nest';
import type { Metadata } from '@grpc/grpc-js';
import type { Storage } from '../storage/storage';
import { SERVER_SETTINGS, STORAGE, ServerSettings } from '../tokens';
import { rememberTenant, resolveTenant } from './tenant-resolver';

@Injectable()
export class TenantGuard implements CanActivate {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(SERVER_SETTINGS) private readonly settings: ServerSettings,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const metadata = context.switchToRpc().getContext<Metadata>();
    const tenant = await resolveTenant(this.storage, this.settings.loopback, metadata);
    rememberTenant(metadata, tenant);
    return true;
  }
}
