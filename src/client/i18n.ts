import { useTranslation } from 'react-i18next';
import { NAMESPACE } from '../shared/constants';

/** Translation hook bound to this plugin's namespace, falling back to the host's own strings. */
export function useT() {
  return useTranslation([NAMESPACE, 'client'], { nsMode: 'fallback' }).t;
}

/** The user's language (en-US, zh-CN, nl-NL …), for dates and numbers. */
export function useLanguage() {
  return useTranslation().i18n.language || 'en-US';
}
