/** Just enough Java highlighting for a projector: keywords, strings, comments, numbers. */
export type TokenKind = 'kw' | 'str' | 'com' | 'num' | 'ann' | 'txt';

export interface Token {
  text: string;
  kind: TokenKind;
}

const KEYWORDS = new Set(
  (
    'abstract assert boolean break byte case catch char class const continue default do double ' +
    'else enum extends final finally float for if implements import instanceof int interface ' +
    'long native new package private protected public return short static super switch ' +
    'synchronized this throw throws transient try var void volatile while true false null record ' +
    'yield'
  ).split(' '),
);

const TOKEN =
  /(\/\/.*$|\/\*.*?(?:\*\/|$))|("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?)|(@[A-Za-z_]\w*)|(\b\d[\d_]*(?:\.\d+)?[LlDdFf]?\b)|([A-Za-z_$][\w$]*)/g;

/** Splits one line into tokens; concatenating their texts gives the line back. */
export function highlightJava(line: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  const push = (text: string, kind: TokenKind) => {
    if (!text) return;
    const prev = out[out.length - 1];
    if (prev && prev.kind === kind) prev.text += text;
    else out.push({ text, kind });
  };
  for (const m of line.matchAll(TOKEN)) {
    const at = m.index ?? 0;
    push(line.slice(last, at), 'txt');
    if (m[1]) push(m[1], 'com');
    else if (m[2]) push(m[2], 'str');
    else if (m[3]) push(m[3], 'ann');
    else if (m[4]) push(m[4], 'num');
    else push(m[5], KEYWORDS.has(m[5]) ? 'kw' : 'txt');
    last = at + m[0].length;
  }
  push(line.slice(last), 'txt');
  return out;
}
