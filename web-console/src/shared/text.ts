// Text as it goes into URLs. encodeURIComponent throws on a lone UTF-16 surrogate (text no UTF-8 can carry), which
// an id, a query or a pasted value may hold: such a code unit becomes U+FFFD instead, as URLSearchParams does.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with every lone surrogate replaced by U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** encodeURIComponent of the well-formed text: never throws. */
export function encodeText(text: string): string {
  return encodeURIComponent(wellFormed(text));
}
