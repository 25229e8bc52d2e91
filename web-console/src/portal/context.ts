import type { Api } from '../shared/api';

export interface PortalContext {
  api: Api;
  application: string;
  /** The application's own API root: /api/applications/{id}. */
  root: string;
}
