// libmime (postalsys, the header decoder behind mailparser) ships no type declarations; this
// names the one function the plugin calls.
declare module 'libmime' {
  /** Decodes RFC 2047 encoded words ("=?UTF-8?B?…?=") in a header value. */
  export function decodeWords(value: string): string;
}
