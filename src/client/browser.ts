// Browser side effects kept apart, so that tests can watch them (jsdom cannot leave the page).

/** Leaves NocoBase for another site (the provider's consent page). */
export function goToExternal(url: string) {
  window.location.assign(url);
}

/** Copies text; the Clipboard API needs https or localhost, so older means are tried too. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection-based copy
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return typeof document.execCommand === 'function' && document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}
