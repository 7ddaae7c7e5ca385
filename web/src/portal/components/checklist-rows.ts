// The server's checklist lines (two spaces of indent per nesting level) as rows.
export interface ChecklistRow { text: string; depth: number; group: boolean }

export function checklistRows(lines: readonly string[]): ChecklistRow[] {
  return lines.map((line, i) => {
    const depth = Math.floor((line.length - line.trimStart().length) / 2);
    const next = lines[i + 1];
    const nextDepth = next === undefined ? -1 : Math.floor((next.length - next.trimStart().length) / 2);
    return { text: line.trim(), depth, group: nextDepth > depth };
  });
}
