/**
 * A deliberately small well-formedness check for the XML we write: one prolog, balanced
 * and properly nested elements, quoted attributes without raw < or &, known entities only.
 */
export function checkXml(xml: string): { ok: true; root: string } | { ok: false; error: string } {
  let s = xml;
  const prolog = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/;
  if (!prolog.test(s)) return { ok: false, error: 'missing XML declaration' };
  s = s.replace(prolog, '');
  const stack: string[] = [];
  let root = '';
  const re = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    if (m[6] !== undefined) return { ok: false, error: `stray '<' at ${m.index}` };
    if (m[5] !== undefined) {
      if (stack.length === 0 && m[5].trim() !== '') return { ok: false, error: 'text outside the root element' };
      const bad = checkEntities(m[5]);
      if (bad) return { ok: false, error: bad };
      continue;
    }
    const [, close, name, attrs, selfClose] = m;
    const bad = checkEntities(attrs ?? '');
    if (bad) return { ok: false, error: bad };
    if (close) {
      if (stack.pop() !== name) return { ok: false, error: `mismatched </${name}>` };
    } else {
      if (stack.length === 0) {
        if (root) return { ok: false, error: 'two root elements' };
        root = name!;
      }
      if (!selfClose) stack.push(name!);
    }
  }
  if (stack.length > 0) return { ok: false, error: `unclosed <${stack.at(-1)}>` };
  return root ? { ok: true, root } : { ok: false, error: 'no root element' };
}

function checkEntities(s: string): string | null {
  const amp = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(s);
  if (amp) return `bare '&' in ${JSON.stringify(s.slice(amp.index, amp.index + 10))}`;
  return null;
}
