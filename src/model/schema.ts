/**
 * The maestro-tm model format. This file is the ONLY definition of the format: TypeScript types come
 * from `z.infer`, and `schema/maestro-model.schema.json` is generated from it (`npm run gen`).
 *
 * Conventions:
 * - Every element has a globally unique `id` (ASCII, starts with a letter or `_`).
 * - References are ids; which kinds a reference may point at is declared in `references.ts`.
 * - Keys that start with `x-` are extension fields: kept, never warned about. Other unknown keys are
 *   kept too (nothing the user wrote is lost) but reported as warnings.
 * - No defaults are applied here: the loaded model is what the user wrote. `resolve.ts` fills defaults.
 */
import { z } from 'zod';
import { LAYER_IDS, type LayerId } from './layers.js';

export const MODEL_MAJOR_VERSION = 1;
export const MODEL_MINOR_VERSION = 0;

export const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;
const RESERVED_IDS = new Set(['__proto__', 'constructor', 'prototype']);

export const Id = z
  .string()
  .regex(ID_PATTERN, {
    message: 'must start with a letter or "_" and use only ASCII letters, digits, "_", "." and "-" (at most 128 characters)',
  })
  .refine((v) => !RESERVED_IDS.has(v), { message: 'is a reserved word and cannot be an id' })
  .describe('An element id: unique in the whole model, ASCII, used by references.');

const Ids = z.array(Id);
const Text = z.string().max(1_000_000);
const ShortText = z.string().max(10_000);
const Count = z.number().int().min(0).max(1e9);

export const Layer = z.enum(LAYER_IDS as [LayerId, ...LayerId[]]).describe('A MAESTRO layer, L1 to L7.');

export const Sensitivity = z
  .enum(['public', 'internal', 'confidential', 'restricted'])
  .describe('Data classification: public < internal < confidential < restricted.');

export const Trust = z
  .enum(['trusted', 'authenticated', 'partner', 'untrusted'])
  .describe('How far the system trusts this party or input.');

export const SideEffect = z
  .enum([
    'read',
    'write',
    'delete',
    'execute-code',
    'network-egress',
    'send-message',
    'payment',
    'blockchain-transaction',
    'credential-access',
    'system-config',
  ])
  .describe('What invoking a tool can do to the world.');

export const Publisher = z
  .strictObject({
    name: ShortText.optional(),
    trust: z.enum(['first-party', 'vendor', 'community', 'unknown']).optional().describe('Who stands behind it.'),
    verified: z.boolean().optional().describe('The publisher identity was verified (for example a verified registry namespace).'),
  })
  .describe('Who publishes a tool, server, plugin or package.');

export const PackageRef = z
  .strictObject({
    name: ShortText.describe('Package name as the registry knows it.'),
    registry: z.enum(['npm', 'pypi', 'docker', 'github', 'crates', 'maven', 'nuget', 'marketplace', 'other']).optional(),
    version: ShortText.optional().describe('An exact version pins the package; a range or "latest" does not.'),
    integrity: ShortText.optional().describe('Content hash or lock entry (for example sha512-...).'),
  })
  .describe('A package fetched from a registry.');

export const Signature = z
  .strictObject({
    signed: z.boolean().optional(),
    verified: z.boolean().optional().describe('The signature is checked at install or load time.'),
    method: ShortText.optional().describe('For example sigstore, npm provenance, GPG, signed agent card.'),
  })
  .describe('Signature and provenance of a published artefact.');

export const Owner = ShortText.describe('A team or person accountable for the element.');

/** Risk factors a model may override on an element, each on a 0..10 scale (see docs/risk-model.md). */
export const RISK_FACTORS = [
  'likelihood',
  'impact',
  'autonomy',
  'toolAccess',
  'memoryPersistence',
  'multiAgentReach',
  'nonDeterminism',
  'identityDynamics',
  'humanOversight',
] as const;
export type RiskFactorName = (typeof RISK_FACTORS)[number];

export const RiskOverride = z
  .strictObject({
    value: z.number().min(0).max(10).describe('The factor value, 0 (none) to 10 (maximum).'),
    reason: z.string().min(3).max(2000).describe('Why the computed value is wrong here: shown next to the score.'),
  })
  .describe('A reviewed override of one risk factor.');

export const RiskSpec = z
  .strictObject({
    overrides: z.partialRecord(z.enum(RISK_FACTORS), RiskOverride).optional().describe('Factor overrides for findings on this element.'),
  })
  .describe('Risk-scoring overrides for findings on this element.');

/**
 * Where an importer found an element (`maestro-tm import`). Findings on the element point back at this
 * file and line, so a reviewer lands on the configuration that caused them. Optional: hand-written
 * elements do not have it; `import --merge` updates the elements that do.
 */
export const ImportedFrom = z
  .strictObject({
    file: ShortText.describe('The imported file, as the import command was given it (forward slashes).'),
    format: ShortText.optional().describe('The importer that read it, for example mcp.'),
    line: z.number().int().min(1).max(1e9).describe('1-based line of the entry in that file.'),
    column: z.number().int().min(1).max(1e9).optional(),
    pointer: ShortText.optional().describe('JSON pointer of the entry inside the imported file, for example /mcpServers/github.'),
    lines: z
      .record(z.string().max(1000), z.number().int().min(1).max(1e9))
      .optional()
      .describe('Line of each imported attribute, keyed by its JSON pointer relative to the element (for example /args/2 or /credentials/0): evidence on that attribute points there.'),
  })
  .describe('Where an importer found this element; findings on it point back at that file and line.');

/** Fields every element has. `layer` overrides the layer inferred from the element kind. */
const baseFields = {
  id: Id,
  name: ShortText.optional().describe('Display name. Identity is the id, never the name.'),
  description: Text.optional().describe('Free text. Often written by third parties: treated as untrusted and never interpreted.'),
  layer: Layer.optional().describe('Override the MAESTRO layer inferred from the element kind.'),
  controls: Ids.optional().describe('Ids of declared controls that protect this element.'),
  tags: z.array(ShortText).optional(),
  owner: Owner.optional(),
  risk: RiskSpec.optional(),
  importedFrom: ImportedFrom.optional(),
};

/** Fields of elements that are placed somewhere: inside a trust boundary, on a deployment. */
const placedFields = {
  boundary: Id.optional().describe('The trust boundary this element sits in.'),
  deployment: Id.optional().describe('The deployment (host, container, service) this element runs on.'),
  dependsOn: Ids.optional().describe('Ecosystem dependencies (plugins, frameworks, orchestration services) this element relies on.'),
};

export const Autonomy = z
  .enum(['none', 'assistive', 'supervised', 'conditional', 'full'])
  .describe(
    'How much the agent acts on its own: none (a human does everything), assistive (suggests), supervised (acts, a human reviews each step), conditional (acts alone within limits, escalates outside them), full (acts alone).',
  );

export const ToolGrant = z
  .strictObject({
    ref: Id.describe('The tool or MCP server granted.'),
    tools: z.array(ShortText).optional().describe('For an MCP server: the tool names the agent may call (all when absent).'),
    scopes: z.array(ShortText).optional().describe('Permissions granted with it, for example files:read or "*".'),
    sideEffects: z.array(SideEffect).optional().describe('Side effects, when narrower than the tool declares.'),
    approval: Id.optional().describe('A human who must approve each call.'),
    autoApprove: z.boolean().optional().describe('The client runs this tool without asking anyone (for example an IDE "always allow").'),
  })
  .describe('A tool granted to an agent, with its scope.');

export const Credential = z.strictObject({
  type: z.enum(['api-key', 'oauth-token', 'private-key', 'wallet-key', 'password', 'certificate', 'session-token', 'other']),
  storage: z.enum(['vault', 'kms', 'hsm', 'env', 'file', 'hardcoded', 'unknown']).optional().describe('Where the secret lives.'),
  rotation: z.enum(['never', 'manual', 'automatic']).optional(),
  scope: z.enum(['narrow', 'broad', 'admin']).optional().describe('What the credential can do.'),
  expiresDays: Count.optional(),
});

export const Identity = z
  .strictObject({
    type: z
      .enum(['none', 'shared', 'api-key', 'service-account', 'workload-identity', 'user-delegated', 'did', 'other'])
      .optional()
      .describe('How the agent proves who it is.'),
    perAgent: z.boolean().optional().describe('The identity belongs to this agent alone (not shared with other agents).'),
    credentials: z.array(Credential).optional(),
  })
  .describe('Identity and credentials of an agent.');

export const Approval = z.strictObject({
  action: ShortText.describe('What needs approval, for example "payment over 500 EUR" or a side effect name.'),
  approver: Id.describe('The human who approves.'),
  mode: z.enum(['before', 'after', 'sampled']).optional().describe('Approve before acting, review after, or sample.'),
  threshold: z.number().min(0).max(1e15).optional().describe('Amount above which approval is needed (for payments and transfers).'),
  currency: ShortText.optional(),
});

export const Agent = z
  .strictObject({
    ...baseFields,
    ...placedFields,
    role: ShortText.optional(),
    goals: z.array(ShortText).optional(),
    autonomy: Autonomy.optional(),
    origin: z.enum(['first-party', 'third-party', 'external']).optional().describe('Who builds and runs the agent.'),
    framework: ShortText.optional().describe('For example CrewAI, LangGraph, OpenAI Agents SDK, ElizaOS, AutoGen.'),
    models: Ids.optional().describe('Foundation models the agent uses.'),
    tools: z.array(z.union([Id, ToolGrant])).optional().describe('Tools and MCP servers granted: an id, or a grant with scopes.'),
    memory: z
      .strictObject({ reads: Ids.optional(), writes: Ids.optional() })
      .optional()
      .describe('Memories and data stores the agent reads and writes.'),
    delegatesTo: Ids.optional().describe('Agents this agent can hand tasks to.'),
    acceptsFrom: Ids.optional().describe('Agents this agent accepts tasks from.'),
    approvals: z.array(Approval).optional().describe('Human approval points.'),
    identity: Identity.optional(),
    canSpawnAgents: z.boolean().optional().describe('The agent can create new agents at run time.'),
    spawns: Ids.optional().describe('Agents (templates) this agent creates at run time.'),
    canModifySelf: z.boolean().optional().describe('The agent can change its own instructions, tools or memory policy.'),
    prompt: z
      .strictObject({
        source: z.enum(['inline', 'repository', 'remote', 'generated']).optional(),
        versioned: z.boolean().optional(),
        reviewed: z.boolean().optional(),
      })
      .optional()
      .describe('Where the system prompt comes from and how it is managed.'),
    budgets: z
      .strictObject({
        maxIterations: Count.optional(),
        maxToolCalls: Count.optional(),
        maxSpend: z.number().min(0).max(1e12).optional(),
        currency: ShortText.optional(),
        timeoutSeconds: Count.optional(),
        rateLimitPerMinute: Count.optional(),
      })
      .optional()
      .describe('Limits on what one task may consume.'),
  })
  .describe('An agent: something that reasons with a model and acts through tools.');

export const Model = z
  .strictObject({
    ...baseFields,
    ...placedFields,
    provider: ShortText.optional().describe('For example openai, anthropic, google, meta, mistral, local.'),
    model: ShortText.optional().describe('The model name, for example gpt-4o.'),
    hosting: z.enum(['hosted-api', 'self-hosted', 'on-device']).optional(),
    version: ShortText.optional(),
    pinned: z.boolean().optional().describe('Requests name an exact model version (no silent upgrades).'),
    fineTuned: z.boolean().optional(),
    trainingData: Ids.optional().describe('Memories or data stores used to fine-tune or retrain it.'),
    guardrails: z.array(ShortText).optional().describe('Input/output filters in front of the model.'),
    region: ShortText.optional().describe('Where requests are processed (data residency).'),
  })
  .describe('A foundation model.');

const toolFields = {
  ...baseFields,
  ...placedFields,
  transport: z.enum(['stdio', 'http', 'sse', 'streamable-http', 'in-process', 'websocket']).optional(),
  command: ShortText.optional().describe('For a local (stdio) server or tool: the command that starts it.'),
  args: z.array(ShortText).optional(),
  url: ShortText.optional().describe('For a remote server or API: its address.'),
  package: PackageRef.optional(),
  signature: Signature.optional(),
  publisher: Publisher.optional(),
  permissions: z.array(ShortText).optional().describe('What the tool itself is allowed to do on its host.'),
  scopes: z.array(ShortText).optional().describe('Scopes of the credentials the tool holds.'),
  sideEffects: z.array(SideEffect).optional(),
  accesses: Ids.optional().describe('Memories, data stores and external systems the tool reaches.'),
  auth: z.enum(['none', 'api-key', 'oauth', 'mtls', 'other']).optional().describe('How clients authenticate to it.'),
  credentials: z.array(Credential).optional().describe('Credentials the tool or server itself holds.'),
  env: z.array(ShortText).optional().describe('Names of environment variables passed to it (names only: never put secret values in a model).'),
  lock: z
    .strictObject({ hash: ShortText, approvedAt: ShortText.optional() })
    .optional()
    .describe('Hash of the definition that was reviewed and approved.'),
};

export const Tool = z
  .strictObject({
    ...toolFields,
    type: z
      .enum(['function', 'api', 'browser', 'code-interpreter', 'shell', 'filesystem', 'database', 'email', 'payment', 'wallet', 'search', 'other'])
      .optional(),
  })
  .describe('A tool an agent can call.');

export const McpTool = z.strictObject({
  name: ShortText,
  description: Text.optional(),
  sideEffects: z.array(SideEffect).optional(),
  scopes: z.array(ShortText).optional(),
});

export const McpServer = z
  .strictObject({
    ...toolFields,
    tools: z.array(McpTool).optional().describe('The tools the server exposes, as listed or declared.'),
    prompts: z.array(ShortText).optional(),
    resources: z.array(ShortText).optional(),
  })
  .describe('A Model Context Protocol server.');

export const Memory = z
  .strictObject({
    ...baseFields,
    ...placedFields,
    type: z.enum([
      'vector-store',
      'rag-corpus',
      'shared-scratchpad',
      'episodic',
      'long-term',
      'short-term',
      'database',
      'ledger',
      'file-store',
      'cache',
      'knowledge-graph',
    ]),
    sensitivity: Sensitivity.optional(),
    persistence: z.enum(['session', 'persistent']).optional(),
    provenance: z
      .strictObject({
        tracked: z.boolean().optional().describe('Each entry records where it came from.'),
        signed: z.boolean().optional().describe('Entries are signed by their writer.'),
      })
      .optional(),
    writers: Ids.optional().describe('Who may write (besides agents that declare memory.writes): humans, external systems.'),
    ingests: Ids.optional().describe('Sources whose content is ingested: external systems, humans, entry points.'),
    isolation: z.enum(['per-user', 'per-tenant', 'per-agent', 'shared']).optional(),
    encryptedAtRest: z.boolean().optional(),
    retentionDays: Count.optional(),
  })
  .describe('A memory or data store.');

export const Channel = z
  .strictObject({
    ...baseFields,
    from: Id.describe('Sender (any element).'),
    to: Id.describe('Receiver (any element).'),
    protocol: z
      .enum(['a2a', 'mcp', 'http', 'grpc', 'websocket', 'message-queue', 'shared-memory', 'blockchain', 'function-call', 'stdio', 'email', 'other'])
      .optional(),
    authentication: z.enum(['none', 'api-key', 'oauth', 'mtls', 'signed-token', 'did', 'agent-card', 'unknown']).optional(),
    encryption: z.enum(['none', 'tls', 'mtls', 'end-to-end']).optional(),
    signing: z.boolean().optional().describe('Each message is signed by its sender.'),
    direction: z.enum(['one-way', 'bidirectional']).optional(),
    data: z.array(ShortText).optional().describe('What flows over the channel.'),
    sensitivity: Sensitivity.optional(),
  })
  .describe('A communication path between two elements.');

export const Human = z
  .strictObject({
    ...baseFields,
    ...placedFields,
    role: z.enum(['user', 'operator', 'approver', 'administrator', 'developer', 'customer', 'public']).optional(),
    trust: Trust.optional(),
  })
  .describe('A person or group of people.');

export const ExternalSystem = z
  .strictObject({
    ...baseFields,
    ...placedFields,
    type: z
      .enum(['api', 'website', 'email', 'saas', 'payment-provider', 'blockchain', 'identity-provider', 'storage', 'agent', 'other'])
      .optional(),
    url: ShortText.optional(),
    trust: Trust.optional(),
    sensitivity: Sensitivity.optional(),
    region: ShortText.optional(),
  })
  .describe('A system outside the modelled one: an API, a website, a third-party agent.');

export const Dependency = z
  .strictObject({
    ...baseFields,
    ...placedFields,
    type: z.enum([
      'plugin',
      'marketplace',
      'cloud-orchestration',
      'blockchain-bridge',
      'blockchain',
      'package-registry',
      'framework',
      'library',
      'model-hub',
      'agent-registry',
      'other',
    ]),
    publisher: Publisher.optional(),
    package: PackageRef.optional(),
    pinned: z.boolean().optional(),
    signature: Signature.optional(),
    source: ShortText.optional().describe('Where it comes from: a URL or a marketplace listing.'),
    usedBy: Ids.optional().describe('Elements that rely on it (same as their dependsOn).'),
  })
  .describe('An ecosystem dependency: plugin, marketplace, orchestration service, bridge, framework.');

export const Boundary = z
  .strictObject({
    ...baseFields,
    type: z.enum(['network', 'process', 'container', 'host', 'organisation', 'tenant', 'cloud-account', 'trust-zone']).optional(),
    parent: Id.optional().describe('The boundary this one is nested in.'),
    trust: Trust.optional(),
  })
  .describe('A trust boundary. Boundaries nest through parent; cycles are rejected.');

export const Deployment = z
  .strictObject({
    ...baseFields,
    boundary: Id.optional(),
    parent: Id.optional().describe('The deployment this one runs inside (a container on a host).'),
    runtime: z.enum(['kubernetes', 'serverless', 'vm', 'container', 'desktop', 'browser', 'edge', 'on-premise', 'managed-service']).optional(),
    sandbox: z.enum(['none', 'process', 'container', 'gvisor', 'vm', 'wasm', 'browser']).optional(),
    networkExposure: z.enum(['private', 'internal', 'internet']).optional(),
    egress: z.enum(['open', 'restricted', 'none']).optional().describe('Outbound network access.'),
    secrets: z.enum(['vault', 'kms', 'env', 'file', 'hardcoded', 'none', 'unknown']).optional().describe('How secrets reach the workload.'),
    scaling: z
      .strictObject({
        auto: z.boolean().optional(),
        min: Count.optional(),
        max: Count.optional(),
      })
      .optional(),
    multiTenant: z.boolean().optional(),
    region: ShortText.optional(),
  })
  .describe('Where elements run.');

export const Observability = z
  .strictObject({
    ...baseFields,
    type: z.enum(['logs', 'traces', 'metrics', 'audit-log', 'inter-agent-monitoring', 'anomaly-detection', 'evaluation', 'alerting']),
    boundary: Id.optional(),
    deployment: Id.optional().describe('Where the logs or monitoring run (for example a third-party SaaS).'),
    covers: Ids.optional().describe('Elements observed.'),
    captures: z
      .array(z.enum(['prompts', 'responses', 'tool-calls', 'messages', 'decisions', 'approvals', 'memory-writes', 'costs', 'errors']))
      .optional(),
    tamperEvident: z.boolean().optional(),
    retentionDays: Count.optional(),
    sink: ShortText.optional(),
  })
  .describe('Something that watches the system.');

export const Control = z
  .strictObject({
    ...baseFields,
    pattern: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,63}$/, { message: 'must be a kebab-case pattern id, for example human-approval' })
      .optional()
      .describe('The defensive pattern this control implements (catalogue id).'),
    appliesTo: Ids.optional().describe('Elements the control protects (same as listing it in their controls).'),
    status: z.enum(['implemented', 'partial', 'planned']).optional(),
    evidence: ShortText.optional().describe('How to verify the control is in place.'),
  })
  .describe('A declared security control.');

export const Lifecycle = z
  .strictObject({
    ...baseFields,
    process: z.enum(['update', 'retrain', 'fine-tune', 'prompt-change', 'tool-update', 'scale', 'decommission', 'rollback', 'onboarding']),
    targets: Ids.optional().describe('Elements the process changes.'),
    approval: z.boolean().optional().describe('Changes need a human review before release.'),
    staged: z.boolean().optional().describe('Changes roll out in stages (canary) with a way back.'),
    evaluated: z.boolean().optional().describe('Changes pass an evaluation suite before release.'),
    automated: z.boolean().optional(),
    revokesCredentials: z.boolean().optional().describe('For decommissioning: credentials are revoked.'),
    purgesMemory: z.boolean().optional().describe('For decommissioning: memories are purged or archived.'),
    frequency: ShortText.optional(),
  })
  .describe('How agents, models, tools and prompts are changed over time.');

export const Asset = z
  .strictObject({
    ...baseFields,
    type: z.enum(['data', 'pii', 'funds', 'credential', 'model-weights', 'action', 'service', 'reputation']).optional(),
    sensitivity: Sensitivity.optional(),
    crownJewel: z.boolean().optional().describe('Losing it would seriously harm the business.'),
    locatedIn: Ids.optional().describe('Elements that hold it or can perform it.'),
  })
  .describe('Something worth protecting: data, funds, credentials, or an action such as a payment.');

export const EntryPoint = z
  .strictObject({
    ...baseFields,
    target: Id.describe('The element where the input arrives.'),
    source: Id.optional().describe('Where the input comes from (a human, an external system, a dependency).'),
    via: Id.optional().describe('The channel it travels on.'),
    type: z
      .enum(['user-input', 'document', 'web-content', 'email', 'api', 'agent-message', 'tool-result', 'file-upload', 'other'])
      .optional(),
    trust: Trust.optional(),
  })
  .describe('A place where input enters the system, usually untrusted.');

export const SystemInfo = z
  .strictObject({
    name: ShortText,
    description: Text.optional(),
    criticality: z.enum(['low', 'medium', 'high', 'critical']).optional(),
    dataSensitivity: Sensitivity.optional(),
    regulations: z.array(ShortText).optional().describe('For example GDPR, PCI-DSS, SOX, HIPAA, EU AI Act.'),
    owners: z.array(Owner).optional(),
    domain: ShortText.optional(),
  })
  .describe('The system as a whole.');

export const VERSION_PATTERN = /^(\d{1,4})(?:\.(\d{1,4}))?$/;

export const ModelFile = z
  .strictObject({
    $schema: z.string().optional(),
    version: z
      .union([z.string().regex(VERSION_PATTERN, { message: 'must look like "1.0"' }), z.number().min(0).max(9999)])
      .describe('Model format version, "MAJOR.MINOR". This tool reads major version 1.'),
    system: SystemInfo,
    agents: z.array(Agent).optional(),
    models: z.array(Model).optional(),
    tools: z.array(Tool).optional(),
    mcpServers: z.array(McpServer).optional(),
    memories: z.array(Memory).optional(),
    channels: z.array(Channel).optional(),
    humans: z.array(Human).optional(),
    externalSystems: z.array(ExternalSystem).optional(),
    dependencies: z.array(Dependency).optional(),
    boundaries: z.array(Boundary).optional(),
    deployments: z.array(Deployment).optional(),
    observability: z.array(Observability).optional(),
    controls: z.array(Control).optional(),
    lifecycle: z.array(Lifecycle).optional(),
    assets: z.array(Asset).optional(),
    entryPoints: z.array(EntryPoint).optional(),
  })
  .describe('A maestro-tm model of a multi-agent system.');

export type ModelFile = z.infer<typeof ModelFile>;
export type AgentSpec = z.infer<typeof Agent>;
export type ModelSpec = z.infer<typeof Model>;
export type ToolSpec = z.infer<typeof Tool>;
export type McpServerSpec = z.infer<typeof McpServer>;
export type MemorySpec = z.infer<typeof Memory>;
export type ChannelSpec = z.infer<typeof Channel>;
export type HumanSpec = z.infer<typeof Human>;
export type ExternalSystemSpec = z.infer<typeof ExternalSystem>;
export type DependencySpec = z.infer<typeof Dependency>;
export type BoundarySpec = z.infer<typeof Boundary>;
export type DeploymentSpec = z.infer<typeof Deployment>;
export type ObservabilitySpec = z.infer<typeof Observability>;
export type ControlSpec = z.infer<typeof Control>;
export type LifecycleSpec = z.infer<typeof Lifecycle>;
export type AssetSpec = z.infer<typeof Asset>;
export type EntryPointSpec = z.infer<typeof EntryPoint>;
export type ToolGrantSpec = z.infer<typeof ToolGrant>;
export type SideEffectName = z.infer<typeof SideEffect>;
export type ImportedFromSpec = z.infer<typeof ImportedFrom>;
