/** Streaming XML reader (saxes): yields one small element tree per record element, checks well-formedness. */
import { SaxesParser } from 'saxes';
import { invalid } from '../../domain/errors.ts';
import type { WatchlistFileDigest } from '../../domain/watchlist-import.ts';
import { openUtf8Input } from './utf8-input.ts';

export interface XmlNode {
  /** Local name (namespace prefix removed). */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Concatenated direct text content, trimmed. */
  text: string;
  /** Line of the start tag (1-based). */
  line: number;
}

export interface XmlRecordStreamOptions {
  /** Local names of the record elements, e.g. INDIVIDUAL, ENTITY. Records never nest. */
  recordNames: ReadonlySet<string>;
  /** Called with the root element (no children) as soon as it is opened. */
  onRoot?: (root: XmlNode) => void;
  /** Called for every comment with the line it ends on and the record being read, if any. */
  onComment?: (comment: string, line: number, openRecord: XmlNode | undefined) => void;
}

const localName = (qname: string): string => {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
};

/** The first child named `name`. */
export const childOf = (node: XmlNode | undefined, name: string): XmlNode | undefined =>
  node?.children.find((c) => c.name === name);

/** All children named `name`. */
export const childrenOf = (node: XmlNode | undefined, name: string): XmlNode[] =>
  node ? node.children.filter((c) => c.name === name) : [];

/** Trimmed text of the first child named `name`, or '' */
export const textOf = (node: XmlNode | undefined, name: string): string => childOf(node, name)?.text ?? '';

/**
 * Reads `filePath` and yields each record element as a tree, with its line. A malformed or truncated document,
 * or invalid UTF-8, is refused with DomainError INVALID naming the file and line. Memory holds one record and
 * the records of one chunk at a time.
 */
export async function* streamXmlRecords(
  filePath: string,
  options: XmlRecordStreamOptions,
): AsyncGenerator<XmlNode, WatchlistFileDigest> {
  const input = openUtf8Input(filePath);
  const file = input.file;
  const parser = new SaxesParser({ xmlns: false, position: true, fileName: file });
  const ready: XmlNode[] = [];
  const stack: XmlNode[] = [];
  let record: XmlNode | undefined;
  let depthInRecord = 0;
  let sawRoot = false;
  let failure: Error | undefined;

  parser.on('error', (err) => {
    failure ??= invalid(`${file}: malformed XML at line ${parser.line}: ${err.message}`, [
      { path: `${file}:${parser.line}`, message: err.message },
    ]);
  });
  parser.on('opentag', (tag) => {
    const node: XmlNode = {
      name: localName(tag.name),
      attrs: Object.fromEntries(Object.entries(tag.attributes).map(([k, v]) => [localName(k), String(v)])),
      children: [],
      text: '',
      line: parser.line,
    };
    if (!sawRoot) {
      sawRoot = true;
      options.onRoot?.(node);
    }
    if (record) {
      stack[stack.length - 1]!.children.push(node);
      stack.push(node);
      depthInRecord++;
    } else if (options.recordNames.has(node.name)) {
      record = node;
      stack.length = 0;
      stack.push(node);
      depthInRecord = 1;
    }
  });
  const onText = (t: string): void => {
    if (record && stack.length > 0) stack[stack.length - 1]!.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('comment', (c) => options.onComment?.(c, parser.line, record));
  parser.on('closetag', () => {
    if (!record) return;
    const node = stack.pop()!;
    node.text = node.text.replace(/\s+/g, ' ').trim();
    depthInRecord--;
    if (depthInRecord === 0) {
      ready.push(record);
      record = undefined;
    }
  });

  for await (const chunk of input.chunks) {
    parser.write(chunk);
    if (failure) throw failure;
    while (ready.length > 0) yield ready.shift()!;
  }
  parser.close();
  if (failure) throw failure;
  if (!sawRoot)
    throw invalid(`${file}: no XML element found (empty or not XML).`, [{ path: file, message: 'empty' }]);
  while (ready.length > 0) yield ready.shift()!;
  return input.digest();
}
