// The one place the client half touches @nocobase/client, which only the browser host
// provides (it cannot be installed here). Component tests replace this module.
export {
  PinnedPluginListProvider,
  Plugin,
  useAPIClient,
  useApp,
  useNavigateNoUpdate,
} from '@nocobase/client';
export type { APIClient, Application, PinnedPluginItem } from '@nocobase/client';
