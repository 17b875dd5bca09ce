/**
 * Types of bench/gen.js for TypeScript importers (test/bench/gen.test.ts): the main tsconfig does not
 * read JavaScript. Keep in step with the JSDoc in gen.js; regenerate a reference copy with
 *   npx tsc -p bench/tsconfig.json --noEmit false --declaration --emitDeclarationOnly --declarationDir /tmp/dts
 */
import type { ModelFile } from '../src/model/schema.js';

export type Topology = 'tree' | 'pipeline' | 'small-world' | 'scale-free' | 'hub' | 'dag';

export interface GenerateOptions {
  /** Number of agents (at least 1). */
  agents: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Agent-to-agent channel shape (default 'tree'). */
  topology?: Topology;
}

export const TOPOLOGIES: readonly Topology[];
/** mulberry32: a 32-bit PRNG built on Math.imul; floats in [0, 1). */
export function mulberry32(seed: number): () => number;
/** A synthetic multi-agent system that loads with zero diagnostics; deterministic for a seed. */
export function generateSystem(options: GenerateOptions): ModelFile;
/** Number of elements across all element sections. */
export function countElements(model: ModelFile): number;
/** Share of agent-to-agent channels whose ends sit in different trust boundaries. */
export function crossBoundaryShare(model: ModelFile): number;
/** The native YAML form (yaml's stringify, no aliases). */
export function toYaml(obj: unknown): string;
/** The native JSON form, indented by 2. */
export function toJson(obj: unknown): string;
