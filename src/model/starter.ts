/** The commented starter model written by `maestro-tm init`. */
export const STARTER_MODEL = `# yaml-language-server: $schema=node_modules/maestro-tm/schema/maestro-model.schema.json
# A maestro-tm model: one multi-agent system, described as code.
# Validate it with:   maestro-tm validate maestro.yaml
# Editor completion: the JSON Schema ships in the package as schema/maestro-model.schema.json; with the
# YAML language server (VS Code YAML extension) the first line of this file points at it.
# Every element has a unique id; references between elements use those ids.
# Each element sits on a MAESTRO layer inferred from its kind (agents L3, models L1, memories L2, ...);
# set \`layer: L4\` on an element to override it.
version: "1.0"

system:
  name: My agent system
  description: What the system does, for whom.
  criticality: medium          # low | medium | high | critical
  dataSensitivity: internal    # public | internal | confidential | restricted
  regulations: []              # for example [GDPR, PCI-DSS]
  owners: [platform-team]

# People who use, operate or approve.
humans:
  - id: end_user
    role: user                 # user | operator | approver | administrator | developer | customer | public
    trust: untrusted           # trusted | authenticated | partner | untrusted

# Foundation models (MAESTRO L1).
models:
  - id: main_llm
    provider: example-provider
    model: example-model
    hosting: hosted-api        # hosted-api | self-hosted | on-device
    pinned: false              # true when requests name an exact model version

# Agents (L3): what they may do, with which tools and memories.
agents:
  - id: assistant
    role: Answers questions and files tickets
    autonomy: supervised       # none | assistive | supervised | conditional | full
    models: [main_llm]
    tools:
      - ref: ticket_api
        scopes: [tickets:write]
    memory:
      reads: [knowledge_base]
    boundary: app_zone

# Tools and MCP servers the agents can call.
tools:
  - id: ticket_api
    type: api
    url: https://tickets.example.com/api
    sideEffects: [write]       # read | write | delete | execute-code | network-egress | send-message | payment | ...

# Memories and data stores (L2).
memories:
  - id: knowledge_base
    type: rag-corpus           # vector-store | rag-corpus | shared-scratchpad | episodic | long-term | database | ledger | ...
    sensitivity: internal
    provenance: { tracked: false }

# Who talks to whom.
channels:
  - id: user_chat
    from: end_user
    to: assistant
    protocol: http
    authentication: oauth
    encryption: tls

# Where untrusted input enters.
entryPoints:
  - id: chat_input
    target: assistant
    source: end_user
    via: user_chat
    type: user-input
    trust: untrusted

# Fields starting with x- are your own: kept, never analysed, never warned about.
x-notes: Replace the examples above with your system.

boundaries:
  - id: app_zone
    type: network
    trust: trusted
`;
