import i18next, { i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { NAMESPACE } from '../../src/shared/constants';
import enUS from '../../src/locale/en-US.json';
import nlNL from '../../src/locale/nl-NL.json';
import zhCN from '../../src/locale/zh-CN.json';

export const LOCALES = { 'en-US': enUS, 'zh-CN': zhCN, 'nl-NL': nlNL } as Record<string, Record<string, string>>;

/** An i18next instance holding this plugin's locales under its namespace, as the host registers them. */
export async function createI18n(lng: string): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({
    lng,
    fallbackLng: 'en-US',
    ns: [NAMESPACE, 'client'],
    defaultNS: 'client',
    resources: Object.fromEntries(Object.entries(LOCALES).map(([lang, strings]) => [lang, { [NAMESPACE]: strings }])),
    interpolation: { escapeValue: false },
  });
  return instance;
}
