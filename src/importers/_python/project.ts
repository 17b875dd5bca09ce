/**
 * Several parsed Python files read together: name resolution across assignments, `self.x`
 * attributes and imports between the files. Resolution follows at most a few hops and never loops.
 */
import type { Expr, PyAssign, PyDef, PyFacts, PyImport } from './extract.js';

const MAX_HOPS = 12;

export interface Located<T> {
  readonly file: PyFacts;
  readonly item: T;
}

export class PyProject {
  private readonly assignsByName = new Map<string, Located<PyAssign>[]>();
  private readonly defsByName = new Map<string, Located<PyDef>[]>();

  constructor(readonly files: readonly PyFacts[]) {
    for (const f of files) {
      for (const a of f.assigns) {
        const list = this.assignsByName.get(a.target) ?? [];
        list.push({ file: f, item: a });
        this.assignsByName.set(a.target, list);
      }
      for (const d of f.defs) {
        const list = this.defsByName.get(d.name) ?? [];
        list.push({ file: f, item: d });
        this.defsByName.set(d.name, list);
      }
    }
  }

  /** The import that binds `local` in a file. */
  importOf(file: PyFacts, local: string): PyImport | undefined {
    const head = local.split('.')[0] ?? local;
    return file.imports.find((i) => i.local === head || i.local === local);
  }

  /** Whether the file imports anything from a module matching `re` (or star-imports it). */
  importsFrom(file: PyFacts, re: RegExp): boolean {
    return file.imports.some((i) => re.test(i.module) || re.test(i.name));
  }

  /** The assignment that gives `name` its value as seen from `scope` (innermost scope first, then module, then other files). */
  assignmentOf(name: string, file: PyFacts, scope: string, cls?: string): Located<PyAssign> | undefined {
    const list = this.assignsByName.get(name);
    if (!list) return undefined;
    if (name.startsWith('self.')) {
      const own = list.filter((l) => l.file === file && (cls === undefined || l.item.scope.startsWith(`${cls}.`)));
      return own[own.length - 1] ?? list[list.length - 1];
    }
    const scopes: string[] = [];
    for (let s = scope; ; ) {
      scopes.push(s);
      if (s === '') break;
      const i = s.lastIndexOf('.');
      s = i < 0 ? '' : s.slice(0, i);
    }
    for (const s of scopes) {
      const hits = list.filter((l) => l.file === file && l.item.scope === s && (s !== '' || l.item.cls === undefined || l.item.cls === cls));
      const last = hits[hits.length - 1];
      if (last) return last;
    }
    const moduleLevel = list.filter((l) => l.file !== file && l.item.scope === '' && l.item.cls === undefined);
    return moduleLevel.length >= 1 ? moduleLevel[moduleLevel.length - 1] : undefined;
  }

  /** A function definition by name: same file first, then others. */
  defOf(name: string, file: PyFacts, cls?: string): Located<PyDef> | undefined {
    const bare = name.startsWith('self.') ? name.slice(5) : name;
    const list = this.defsByName.get(bare);
    if (!list) return undefined;
    return (
      list.find((l) => l.file === file && (cls === undefined || l.item.cls === cls)) ??
      list.find((l) => l.file === file) ??
      list.find((l) => l.item.cls === undefined)
    );
  }

  /**
   * Follow names to the value assigned to them. Returns the last expression reached, with the file
   * it is in. Names bound to a function or to nothing known are returned as they are.
   */
  resolve(e: Expr | undefined, file: PyFacts, scope: string, cls?: string): { expr: Expr | undefined; file: PyFacts; scope: string } {
    let cur = e;
    let curFile = file;
    let curScope = scope;
    const seen = new Set<string>();
    for (let hop = 0; hop < MAX_HOPS && cur?.k === 'name'; hop++) {
      const key = `${curFile.file}\u0000${curScope}\u0000${cur.v}`;
      if (seen.has(key)) break;
      seen.add(key);
      const a = this.assignmentOf(cur.v, curFile, curScope, cls);
      if (!a) break;
      cur = a.item.value;
      curFile = a.file;
      curScope = a.item.scope;
    }
    return { expr: cur, file: curFile, scope: curScope };
  }

  /** Items of a list expression, with names resolved (to lists too: `tools=[*base, extra]` is not read). */
  listItems(e: Expr | undefined, file: PyFacts, scope: string, cls?: string): { items: { expr: Expr; file: PyFacts; scope: string; original: Expr }[]; unresolved?: Expr } {
    const r = this.resolve(e, file, scope, cls);
    if (r.expr?.k !== 'list') return { items: [], ...(r.expr && r.expr.k !== 'none' ? { unresolved: r.expr } : {}) };
    const items = r.expr.items.map((it) => {
      const x = this.resolve(it, r.file, r.scope, cls);
      return { expr: x.expr ?? it, file: x.file, scope: x.scope, original: it };
    });
    return { items, ...(r.expr.splat ? { unresolved: r.expr } : {}) };
  }
}
