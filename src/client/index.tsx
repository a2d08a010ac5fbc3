export { PluginEmailManagerClient } from './plugin';
export { PluginEmailManagerClient as default } from './plugin';
