export { PluginEmailManagerServer } from './plugin';
export { PluginEmailManagerServer as default } from './plugin';
