const SENTENCE_END = /[。！？；!?;.]/u;

/** Where to end a piece: after a line break, else a sentence end, else a space, in its later half. */
function breakAt(head: string): number {
  const floor = Math.floor(head.length / 2);
  for (const found of [(c: string) => c === '\n', (c: string) => SENTENCE_END.test(c), (c: string) => /\s/u.test(c)]) {
    for (let i = head.length - 1; i >= floor; i--) if (found(head[i])) return i + 1;
  }
  return head.length;
}

/**
 * Pieces of `text` of at most `maxBytes` UTF-8 bytes each, for APIs that limit a message by bytes
 * (WeCom's text message takes 2048, about 680 Chinese characters). A piece ends at a line break or a
 * sentence where it can, and never inside a character, so each reads on its own.
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest) > maxBytes) {
    let bytes = 0;
    let end = 0;
    for (const ch of rest) {
      bytes += Buffer.byteLength(ch);
      if (bytes > maxBytes) break;
      end += ch.length;
    }
    // A character wider than the limit still has to go somewhere (only with absurdly small limits).
    if (end === 0) end = String.fromCodePoint(rest.codePointAt(0) ?? 0).length;
    const head = rest.slice(0, end);
    let cut = breakAt(head);
    let piece = head.slice(0, cut).trimEnd();
    if (!piece) [piece, cut] = [head, end];
    pieces.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  if (rest || pieces.length === 0) pieces.push(rest);
  return pieces;
}
