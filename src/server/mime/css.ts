// CSS from mail (style attributes and <style> elements) keeps its layout but loses everything
// that loads something: a remote font, background or @import is a tracking pixel by another
// name, and images must wait until the user asks for them.

/** Functions whose arguments are fetched (url, image-set strings, …) or run (expression). */
const LOADING_FUNCTIONS = /(?:-webkit-)?(?:url|image|image-set|cross-fade|element|expression)\s*\(/gi;
const URL_TOKEN = /url\s*\(\s*(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[^)"'\s]*)\s*\)/gi;
/** Old engines' script hooks in CSS. */
const BINDINGS = /(?:-moz-binding|behavior)\s*:/gi;
const IMPORT = /@import\b[^;]*;?/gi;

/**
 * Escapes (`\75 rl(`) could spell `url(` where no filter sees it: decode them once and drop
 * any backslash left, so the text checked below is exactly what the browser will read.
 */
function decodeEscapes(css: string): string {
  return css
    .replace(/\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\r\n|\n|([\s\S]))/g, (_m, hex: string | undefined, char: string | undefined) => {
      if (hex) {
        const code = parseInt(hex, 16);
        return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
      }
      return char ?? '';
    })
    .replace(/\\/g, '');
}

export function cleanCss(css: string): string {
  let text = css.includes('\\') ? decodeEscapes(css) : css;
  // Comments can split a token the filters would otherwise see (`u/**/rl(` is not url( to a
  // browser, but removing them is simpler than reasoning about it).
  text = text.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, '');
  text = text.replace(IMPORT, '');
  text = text.replace(URL_TOKEN, 'none');
  // Anything left that could load (an unterminated url(, image-set("…")) is made invalid: the
  // browser then drops that declaration and keeps the rest.
  text = text.replace(LOADING_FUNCTIONS, 'blocked(');
  text = text.replace(BINDINGS, 'blocked:');
  // Inside <style> the text is written as is: a "<" must not be able to close the element.
  return text.replace(/</g, '\\3c ');
}
