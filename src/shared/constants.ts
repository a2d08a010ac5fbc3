// Names shared by the server and the client halves. One concept, one name.

export const PACKAGE_NAME = '@nocobase/plugin-email-manager';
/** The plugin's short name, as the plugin manager and the ACL know it. */
export const PLUGIN_NAME = 'email-manager';
/** i18n namespace of this plugin's strings (the host registers locales under the package name). */
export const NAMESPACE = PACKAGE_NAME;
/** Settings → "Email settings" lives at /admin/settings/mail: the OAuth redirect URI hangs below it. */
export const SETTINGS_KEY = 'mail';
/** ACL snippet that lets a role read and change provider settings. */
export const SETTINGS_SNIPPET = `pm.${PLUGIN_NAME}.settings`;
/** Resources that only roles holding SETTINGS_SNIPPET may touch. */
export const SETTINGS_RESOURCES = ['mailProviders', 'mailSettings'] as const;
