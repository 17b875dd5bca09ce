/** `llm=` / `model=` arguments → model elements: model-name strings, chat-model classes, init_chat_model. */
import { quote } from '../../model/diagnostics.js';
import type { GraphBuilder } from './build.js';
import { describeExpr, kwarg, lastPart, nameOf, type Expr, type PyFacts } from './extract.js';
import { MODEL_CLASSES, providerOf } from './knowledge.js';
import type { PyProject } from './project.js';

const MAX_WRAPS = 8;

/**
 * The model element for an expression, or undefined (with a warning) when it cannot be read.
 * `owner` names who uses it, in messages.
 */
export function modelFromExpr(b: GraphBuilder, project: PyProject, e: Expr | undefined, file: PyFacts, scope: string, owner: string, cls?: string): string | undefined {
  let cur = project.resolve(e, file, scope, cls);
  // Unwrap model.bind_tools(...), model.with_structured_output(...), model.with_config(...)
  for (let i = 0; i < MAX_WRAPS; i++) {
    const x = cur.expr;
    if (x?.k === 'call' && x.callee.k === 'attr' && /^(bind_tools|with_structured_output|with_config|with_retry|with_fallbacks|bind)$/.test(x.callee.v)) {
      cur = project.resolve(x.callee.obj, cur.file, cur.scope, cls);
      continue;
    }
    if (x?.k === 'call' && x.callee.k === 'name' && /\.(bind_tools|with_structured_output|with_config|with_retry|bind)$/.test(x.callee.v)) {
      const base = x.callee.v.slice(0, x.callee.v.lastIndexOf('.'));
      cur = project.resolve({ k: 'name', v: base, line: x.line, column: x.column }, cur.file, cur.scope, cls);
      continue;
    }
    break;
  }
  const x = cur.expr;
  const at = x && x.line > 0 ? x : e;
  if (x?.k === 'str') {
    const p = providerOf(x.v);
    return b.addModel(p.provider, p.name, p.hosting, cur.file.file, at, `Model named ${JSON.stringify(x.v.slice(0, 200))} by ${owner} in ${cur.file.file} line ${at?.line ?? 1}.`);
  }
  if (x?.k === 'call') {
    const callee = nameOf(x.callee);
    const cls0 = lastPart(callee);
    const nameArg = kwarg(x, 'model') ?? kwarg(x, 'model_name') ?? kwarg(x, 'model_id') ?? kwarg(x, 'deployment_name') ?? kwarg(x, 'azure_deployment') ?? x.args[0];
    const nameExpr = project.resolve(nameArg, cur.file, cur.scope, cls).expr;
    const name = nameExpr?.k === 'str' ? nameExpr.v : undefined;
    if (cls0 === 'init_chat_model' || Object.hasOwn(MODEL_CLASSES, cls0)) {
      const known = MODEL_CLASSES[cls0];
      const providerArg = kwarg(x, 'model_provider');
      let provider = providerArg?.k === 'str' ? providerArg.v : known?.provider ?? 'unknown';
      let hosting = known?.hosting ?? 'hosted-api';
      let modelName = name;
      if (name !== undefined && (provider === 'litellm' || provider === 'unknown' || cls0 === 'init_chat_model')) {
        const p = providerOf(name);
        if (p.provider !== 'unknown' || provider === 'unknown') {
          provider = providerArg?.k === 'str' ? providerArg.v : p.provider;
          hosting = p.hosting;
          modelName = p.name;
        }
      }
      if (name === undefined && nameArg !== undefined) {
        b.warn(cur.file.file, 'W_IMPORT_UNRESOLVED', `${owner}: the model name is ${describeExpr(nameArg)}, not resolvable without running the code`, 'write the model name as a string, or set it on the model element by hand', nameArg.line > 0 ? nameArg : x);
      }
      return b.addModel(provider, modelName, hosting, cur.file.file, x, `${cls0}(...) used by ${owner} in ${cur.file.file} line ${x.line}.${name === undefined ? ' The model name is not given: the class default (or an environment variable) decides.' : ''}`);
    }
    if (!/^[A-Z]/.test(cls0)) {
      b.warn(cur.file.file, 'W_IMPORT_UNRESOLVED', `${owner}: the model is computed by ${quote(callee || 'an expression', 60)}(...) at run time: not resolvable`, 'name the model with a string or a chat-model class, or add it to the model by hand', x);
      return undefined;
    }
    b.warn(cur.file.file, 'W_IMPORT_MODEL_UNKNOWN', `${owner}: the model comes from ${quote(callee || 'an expression', 60)}, which maestro-tm does not know`, 'set provider and model on the model element by hand', x);
    return b.addModel('unknown', name ?? (callee || undefined), 'hosted-api', cur.file.file, x, `Model built by ${callee || 'an expression'} for ${owner} in ${cur.file.file} line ${x.line}: provider unknown.`);
  }
  if (x !== undefined && x.k !== 'none') {
    b.warn(cur.file.file, 'W_IMPORT_UNRESOLVED', `${owner}: the model is ${describeExpr(x)}, not resolvable without running the code`, 'name the model with a string or a chat-model class, or add it to the model by hand', at);
  }
  return undefined;
}
