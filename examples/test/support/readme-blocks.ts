/** The fenced code blocks of a Markdown file, with the line each starts on. */
import * as fs from 'node:fs';

export interface CodeBlock {
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
}

export function codeBlocks(markdownFile: string): CodeBlock[] {
  const lines = fs.readFileSync(markdownFile, 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  let open: { lang: string; line: number; body: string[] } | undefined;
  lines.forEach((text, i) => {
    const fence = /^```(\S*)\s*$/.exec(text);
    if (!open && fence) open = { lang: fence[1], line: i + 1, body: [] };
    else if (open && text === '```') {
      blocks.push({ lang: open.lang, code: open.body.join('\n') + '\n', line: open.line });
      open = undefined;
    } else if (open) open.body.push(text);
  });
  if (open) throw new Error(`${markdownFile}:${open.line}: unclosed code fence`);
  return blocks;
}

/** The first line that is not a comment: what names a shell block. */
export function firstCommand(block: CodeBlock): string {
  return block.code.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#'))?.trim() ?? '';
}
