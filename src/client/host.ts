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

// Flow engine models and helpers (NocoBase 2.x pages), used by src/client/blocks.
export { ActionModel, ActionSceneEnum, BlockModel, TextAreaWithContextSelector } from '@nocobase/client';
export type { FlowContext, FlowDefinition, FlowEngine, FlowModelMeta } from '@nocobase/client';
