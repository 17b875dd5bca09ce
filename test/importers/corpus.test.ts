/**
 * Issue 6, acceptance 1: every file of the third-party corpus (../shared/corpus/, outside the repo)
 * imports and its model validates, or is refused with a diagnostic that says why. Each file goes
 * through the importer its folder implies AND through `auto`; EXPECTED holds the outcome of both
 * (section counts of the model, or the error code of the refusal), so any change in any importer
 * shows up here. Every corpus file must have a row and every row a file: nothing is skipped.
 *
 * CrewAI projects are also imported whole (agents.yaml + tasks.yaml together), as users do.
 *
 * The corpus is not part of the repository (it sits beside it, in ../shared/corpus). A fresh clone
 * elsewhere has no corpus: the suite is then skipped with a warning, so `npm test` works anywhere.
 * MAESTRO_CORPUS=<folder> requires a copy there (the suite FAILS when it is missing; .ci/run sets
 * it whenever ../shared/corpus exists), and MAESTRO_CORPUS=skip skips it on purpose.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareImporters, runImport, type ImportResult } from '../../src/importers/index.js';
import { validateData } from '../../src/model/load.js';
import { sectionCounts } from './_interchange.js';

const SETTING = process.env['MAESTRO_CORPUS'];
const CORPUS = SETTING !== undefined && SETTING !== '' && SETTING !== 'skip' ? SETTING.replace(/\/?$/, '/') : fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const REQUIRED = SETTING !== undefined && SETTING !== '' && SETTING !== 'skip';
const SKIP = SETTING === 'skip' || (!REQUIRED && !existsSync(CORPUS));
if (SKIP && SETTING !== 'skip') console.warn(`corpus tests skipped: no third-party corpus at ${CORPUS} (set MAESTRO_CORPUS=<folder> to run them)`);

/** The importer each corpus folder implies. */
const FOLDER_FORMAT: Record<string, string> = {
  'mcp-config': 'mcp',
  'a2a-agent-card': 'a2a',
  crewai: 'crewai',
  'elizaos-character': 'elizaos',
  'threat-dragon': 'threat-dragon',
  otm: 'otm',
  n8n: 'n8n',
  flowise: 'flowise',
  autogen: 'autogen',
};

type Outcome = Record<string, number> | string;

/**
 * Per file: `own` = the outcome with the folder's importer, `auto` = the outcome with `import auto`
 * when it differs. A string is the code of the error that refused the file.
 *
 * `auto` answers E_IMPORT_UNKNOWN_FORMAT for six files that are deliberately not (or no longer) in
 * their format: a non-A2A document at the A2A path, MCP files without servers, an OTM file without
 * its version, Threat Dragon test files without a diagram. No importer is confident enough to claim
 * them; `auto` then adds the refusal of the importer the file most resembles (not always the
 * folder's: the AHP document reads most like an MCP file without servers), and named explicitly,
 * their own importer refuses them with its specific reason (both checked below).
 */
const EXPECTED: Record<string, { own: Outcome; auto?: Outcome }> = {
  'a2a-agent-card/1Mangesh1__1mangesh1.github.io__well-known-agent-card-minified.json': { own: {"agents":2,"channels":1,"boundaries":2} },
  'a2a-agent-card/AHP-Organization__reference-implementation__well-known-agent-json-NOT-A2A-ahp.json': { own: 'E_IMPORT_NOT_A2A', auto: 'E_IMPORT_UNKNOWN_FORMAT' },
  'a2a-agent-card/a2aproject__a2a-samples__a2a_mcp-air_ticketing_agent.json': { own: {"agents":2,"channels":2,"boundaries":2,"entryPoints":1} },
  'a2a-agent-card/a2aproject__a2a-samples__a2a_mcp-car_rental_agent.json': { own: {"agents":2,"channels":2,"boundaries":2,"entryPoints":1} },
  'a2a-agent-card/a2aproject__a2a-samples__a2a_mcp-hotel_booking_agent.json': { own: {"agents":2,"channels":2,"boundaries":2,"entryPoints":1} },
  'a2a-agent-card/a2aproject__a2a-samples__a2a_mcp-orchestrator_agent.json': { own: {"agents":2,"channels":2,"boundaries":2,"entryPoints":1} },
  'a2a-agent-card/a2aproject__a2a-samples__a2a_mcp-planner_agent.json': { own: {"agents":2,"channels":2,"boundaries":2,"entryPoints":1} },
  'a2a-agent-card/a2aproject__a2a-samples__adk_currency_agent-agent_card.json': { own: {"agents":2,"channels":1,"boundaries":2} },
  'a2a-agent-card/a2aproject__a2a-samples__adk_facts-facts_agent.json': { own: {"agents":2,"channels":1,"boundaries":2} },
  'a2a-agent-card/a2aproject__a2a-samples__adk_skills_agent-agent_card.json': { own: {"agents":2,"channels":1,"boundaries":2} },
  'a2a-agent-card/a2aproject__a2a-samples__pr211-check_prime_agent.json': { own: {"agents":2,"channels":1,"boundaries":2} },
  'a2a-agent-card/a2aproject__a2a-samples__pr211-human_in_loop-reimbursement_agent.json': { own: {"agents":2,"channels":1,"boundaries":2} },
  'a2a-agent-card/a2aproject__a2a-samples__pr437-recipe_assistant_agent_card.json': { own: {"agents":2,"channels":1,"boundaries":2} },
  'a2a-agent-card/a2aproject__a2a-samples__pr437-weather_agent_card.json': { own: {"agents":2,"channels":2,"boundaries":2,"entryPoints":1} },
  'a2a-agent-card/a2aproject__a2a-samples__pr482-oixa-protocol-agent.json': { own: {"agents":2,"channels":1,"boundaries":2} },
  'a2a-agent-card/a2aproject__a2a-samples__pr593-commerce-profile-agent-card.json': { own: {"agents":2,"channels":1,"boundaries":2} },
  'autogen/microsoft__autogen__ags-default_gallery.json': { own: {"agents":14,"models":5,"tools":8,"mcpServers":2,"memories":4,"channels":17,"humans":3,"externalSystems":1,"dependencies":1,"boundaries":2,"entryPoints":6} },
  'autogen/microsoft__autogen__ags-team.json': { own: {"agents":1,"models":1,"tools":1,"memories":1,"channels":1,"humans":1,"boundaries":2,"entryPoints":1} },
  'autogen/microsoft__autogen__ags-travel_team.json': { own: {"agents":4,"models":1,"memories":1,"channels":7,"humans":1,"boundaries":2,"entryPoints":1} },
  'autogen/microsoft__autogen__ags-v0.2-travel_groupchat.json': { own: {"agents":5,"models":1,"tools":1,"memories":1,"channels":12,"humans":1,"boundaries":2,"entryPoints":1} },
  'crewai/Repello-AI__Agent-Wiz__echo_synth/agents/audio_agents.yaml': { own: {"agents":5,"models":1} },
  'crewai/Repello-AI__Agent-Wiz__echo_synth/agents/json_agents.yaml': { own: {"agents":1,"models":1} },
  'crewai/Repello-AI__Agent-Wiz__echo_synth/tasks/audio_tasks.yaml': { own: 'E_IMPORT_NO_AGENTS' },
  'crewai/Repello-AI__Agent-Wiz__echo_synth/tasks/json_tasks.yaml': { own: 'E_IMPORT_NO_AGENTS' },
  'crewai/crewAIInc__crewAI-examples__game-builder-crew/agents.yaml': { own: {"agents":3,"models":1} },
  'crewai/crewAIInc__crewAI-examples__game-builder-crew/tasks.yaml': { own: 'E_IMPORT_NO_AGENTS' },
  'crewai/crewAIInc__crewAI-examples__job-posting/agents.yaml': { own: {"agents":3,"models":1} },
  'crewai/crewAIInc__crewAI-examples__job-posting/tasks.yaml': { own: 'E_IMPORT_NO_AGENTS' },
  'crewai/crewAIInc__crewAI-examples__landing_page_generator/agents.yaml': { own: {"agents":4,"models":1} },
  'crewai/crewAIInc__crewAI-examples__landing_page_generator/tasks.yaml': { own: 'E_IMPORT_NO_AGENTS' },
  'crewai/crewAIInc__crewAI-examples__lead_score_flow-lead_score_crew/agents.yaml': { own: {"agents":1,"models":1} },
  'crewai/crewAIInc__crewAI-examples__lead_score_flow-lead_score_crew/tasks.yaml': { own: 'E_IMPORT_NO_AGENTS' },
  'crewai/crewAIInc__crewAI-examples__markdown_validator/agents.yaml': { own: {"agents":1,"models":1} },
  'crewai/crewAIInc__crewAI-examples__markdown_validator/tasks.yaml': { own: 'E_IMPORT_NO_AGENTS' },
  'crewai/crewAIInc__crewAI-examples__marketing_strategy/agents.yaml': { own: {"agents":4,"models":1} },
  'crewai/crewAIInc__crewAI-examples__marketing_strategy/tasks.yaml': { own: 'E_IMPORT_NO_AGENTS' },
  'crewai/crewAIInc__crewAI-examples__match_profile_to_positions/agents.yaml': { own: {"agents":3,"models":1} },
  'crewai/crewAIInc__crewAI-examples__match_profile_to_positions/tasks.yaml': { own: 'E_IMPORT_NO_AGENTS' },
  'crewai/crewAIInc__crewAI-examples__meta_quest_knowledge/agents.yaml': { own: {"agents":1,"models":1} },
  'crewai/crewAIInc__crewAI-examples__meta_quest_knowledge/tasks.yaml': { own: 'E_IMPORT_NO_AGENTS' },
  'crewai/crewAIInc__crewAI-examples__recruitment/agents.yaml': { own: {"agents":4,"models":1} },
  'crewai/crewAIInc__crewAI-examples__recruitment/tasks.yaml': { own: 'E_IMPORT_NO_AGENTS' },
  'crewai/crewAIInc__crewAI-examples__screenplay_writer/agents.yaml': { own: {"agents":5,"models":1} },
  'crewai/crewAIInc__crewAI-examples__screenplay_writer/tasks.yaml': { own: 'E_IMPORT_NO_AGENTS' },
  'crewai/crewAIInc__crewAI-examples__stock_analysis/agents.yaml': { own: {"agents":3,"models":1} },
  'crewai/crewAIInc__crewAI-examples__stock_analysis/tasks.yaml': { own: 'E_IMPORT_NO_AGENTS' },
  'crewai/crewAIInc__crewAI-examples__surprise_trip/agents.yaml': { own: {"agents":3,"models":1} },
  'crewai/crewAIInc__crewAI-examples__surprise_trip/tasks.yaml': { own: 'E_IMPORT_NO_AGENTS' },
  'crewai/crewAIInc__crewAI-examples__write_a_book-write_book_chapter_crew/agents.yaml': { own: {"agents":2,"models":1,"entryPoints":1} },
  'crewai/crewAIInc__crewAI-examples__write_a_book-write_book_chapter_crew/tasks.yaml': { own: 'E_IMPORT_NO_AGENTS' },
  'elizaos-character/elizaOS__characterfile__example.character.json': { own: {"agents":1,"memories":2,"boundaries":1} },
  'elizaos-character/elizaOS__characters__alfred.character.json': { own: {"agents":1,"models":1,"memories":2,"boundaries":2} },
  'elizaos-character/elizaOS__characters__c3po.character.json': { own: {"agents":1,"models":1,"memories":2,"boundaries":2} },
  'elizaos-character/elizaOS__characters__cosmosHelper.character.json': { own: {"agents":1,"models":1,"memories":2,"boundaries":2} },
  'elizaos-character/elizaOS__characters__dobby.character.json': { own: {"agents":1,"models":1,"memories":2,"boundaries":2} },
  'elizaos-character/elizaOS__characters__edriziai-info-edrizi.json': { own: {"agents":1,"models":1,"tools":1,"memories":1,"channels":1,"externalSystems":1,"dependencies":1,"boundaries":2,"entryPoints":1} },
  'elizaos-character/elizaOS__characters__eternalai.character.json': { own: {"agents":1,"models":1,"memories":1,"channels":1,"externalSystems":1,"boundaries":2,"entryPoints":1} },
  'elizaos-character/elizaOS__characters__lpmanager.character.json': { own: {"agents":1,"models":1,"memories":2,"boundaries":2} },
  'elizaos-character/elizaOS__characters__omniflix.character.json': { own: {"agents":1,"models":1,"tools":1,"memories":2,"channels":1,"externalSystems":1,"dependencies":1,"boundaries":2,"entryPoints":1} },
  'elizaos-character/elizaOS__characters__shaw.json': { own: {"agents":1,"models":1,"memories":1,"boundaries":2} },
  'elizaos-character/elizaOS__characters__snoop.json': { own: {"agents":1,"models":1,"memories":2,"boundaries":2} },
  'flowise/FlowiseAI__Flowise__agentflows-Customer-Support-Team-Agents.json': { own: {"agents":3,"models":1,"tools":1,"memories":1,"channels":3,"humans":1,"boundaries":2,"entryPoints":1} },
  'flowise/FlowiseAI__Flowise__agentflows-Multi-Agents.json': { own: {"agents":4,"models":1,"memories":1,"channels":4,"humans":1,"boundaries":2,"entryPoints":1} },
  'flowise/FlowiseAI__Flowise__agentflows-Software-Team.json': { own: {"agents":3,"models":1,"channels":3,"humans":1,"boundaries":2,"entryPoints":1} },
  'flowise/FlowiseAI__Flowise__agentflowsv2-Agents-Handoff.json': { own: {"agents":4,"models":4,"tools":1,"memories":1,"channels":4,"humans":1,"externalSystems":1,"boundaries":2,"entryPoints":1} },
  'flowise/FlowiseAI__Flowise__agentflowsv2-Deep-Research-With-Subagents.json': { own: {"agents":4,"models":3,"tools":3,"memories":1,"channels":5,"humans":1,"externalSystems":1,"boundaries":2,"entryPoints":1} },
  'flowise/FlowiseAI__Flowise__agentflowsv2-Human-In-The-Loop.json': { own: {"agents":2,"models":1,"tools":3,"memories":1,"channels":4,"humans":2,"externalSystems":1,"boundaries":2,"entryPoints":1} },
  'flowise/FlowiseAI__Flowise__agentflowsv2-Supervisor-Worker.json': { own: {"agents":4,"models":3,"memories":1,"channels":6,"humans":1,"boundaries":2,"entryPoints":1} },
  'mcp-config/0GiS0__mcp-server-as-a-proxy__vscode-mcp.json': { own: {"agents":1,"mcpServers":1,"channels":1,"boundaries":1} },
  'mcp-config/0GiS0__youtube-mcp-server__vscode-mcp.jsonc-comments.json': { own: {"agents":1,"mcpServers":2,"channels":2,"boundaries":1} },
  'mcp-config/0x28F4__calorie-tracker-mcp__dot-mcp.json': { own: {"agents":1,"mcpServers":1,"channels":1,"boundaries":1} },
  'mcp-config/0x28F4__calorie-tracker-mcp__vscode-mcp.json': { own: {"agents":1,"mcpServers":1,"channels":1,"boundaries":1} },
  'mcp-config/0xJacky__nginx-ui__cursor-mcp.json': { own: {"agents":1,"mcpServers":2,"channels":2,"dependencies":2,"boundaries":1} },
  'mcp-config/0xobelisk__dubhe__cursor-mcp-nonstandard-tools.json': { own: 'E_IMPORT_NOT_MCP' },
  'mcp-config/12Knocksinna__Office365itpros__vscode-mcp.json': { own: {"agents":1,"mcpServers":1,"channels":1,"dependencies":1,"boundaries":1} },
  'mcp-config/1AQuantum__websee-mcp-server__claude_desktop_config.json': { own: {"agents":1,"mcpServers":1,"channels":1,"boundaries":1} },
  'mcp-config/1AQuantum__websee-mcp-server__cursor-mcp.json': { own: {"agents":1,"mcpServers":1,"channels":1,"boundaries":1} },
  'mcp-config/1AQuantum__websee-mcp-server__dot-mcp.json': { own: {"agents":1,"mcpServers":1,"channels":1,"boundaries":1} },
  'mcp-config/1AQuantum__websee-mcp-server__vscode-mcp.json': { own: {"agents":1,"mcpServers":1,"channels":1,"boundaries":1} },
  'mcp-config/1jehuang__jcode__cursor-mcp-servers-key.json': { own: {"agents":1,"mcpServers":8,"channels":8,"boundaries":1} },
  'mcp-config/AccelByte__ags-extend-sdk-mcp-server__claude_desktop_config.json': { own: {"agents":1,"mcpServers":1,"channels":1,"boundaries":1} },
  'mcp-config/Azure-Samples__remote-mcp-functions-python__vscode-mcp-2025-04-sse-headers.json': { own: {"agents":1,"mcpServers":2,"channels":2,"boundaries":2} },
  'mcp-config/Azure-Samples__remote-mcp-functions-python__vscode-mcp-2026-02-http-headers.json': { own: {"agents":1,"mcpServers":2,"channels":2,"boundaries":2} },
  'mcp-config/Azure-Samples__remote-mcp-functions-python__vscode-mcp.json': { own: {"agents":1,"mcpServers":2,"channels":2,"boundaries":2} },
  'mcp-config/Azure__azure-mcp__vscode-mcp.json': { own: {"agents":1,"mcpServers":1,"channels":1,"boundaries":1} },
  'mcp-config/continuedev__continue__continue-mcpServers-DeepWiki-malformed-type.json': { own: {"agents":1,"mcpServers":1,"channels":1,"boundaries":2} },
  'mcp-config/continuedev__continue__continue-mcpServers-continue-docs-mcp.yaml': { own: {"agents":1,"mcpServers":1,"channels":1,"boundaries":1} },
  'mcp-config/continuedev__continue__continue-mcpServers-linear-mcp.yaml': { own: {"agents":1,"mcpServers":1,"channels":1,"dependencies":1,"boundaries":1} },
  'mcp-config/getsentry__sentry-mcp__dot-mcp.json': { own: {"agents":1,"mcpServers":3,"channels":3,"boundaries":2} },
  'mcp-config/invariantlabs-ai__mcp-scan__test-client-invalid-mcp.json': { own: 'E_IMPORT_NOT_MCP', auto: 'E_IMPORT_UNKNOWN_FORMAT' },
  'mcp-config/invariantlabs-ai__mcp-scan__test-client-mcp.json': { own: {"agents":1,"mcpServers":4,"channels":4,"boundaries":1} },
  'mcp-config/invariantlabs-ai__mcp-scan__test-configs-stdio.json': { own: {"agents":1,"mcpServers":2,"channels":2,"dependencies":3,"boundaries":1} },
  'mcp-config/invariantlabs-ai__mcp-scan__vscode-settings-empty-mcp.json': { own: {"agents":1,"boundaries":1} },
  'mcp-config/invariantlabs-ai__mcp-scan__vscode-settings-multiple-transport.json': { own: {"agents":1,"mcpServers":2,"channels":2,"boundaries":1} },
  'mcp-config/invariantlabs-ai__mcp-scan__vscode-settings-without-mcp.json': { own: 'E_IMPORT_NOT_MCP', auto: 'E_IMPORT_UNKNOWN_FORMAT' },
  'mcp-config/microsoft__vscode__vscode-mcp.json': { own: {"agents":1,"mcpServers":1,"channels":1,"boundaries":1} },
  'mcp-config/modelcontextprotocol__inspector__sample-config.json': { own: {"agents":1,"mcpServers":3,"channels":3,"dependencies":1,"boundaries":2} },
  'n8n/Repello-AI__Agent-Wiz__spotify.json': { own: 'E_IMPORT_N8N_NO_AI' },
  'n8n/splx-ai__agentic-radar__demo-my-first-ai-agent.json': { own: {"agents":1,"models":1,"tools":1,"memories":1,"channels":1,"humans":1,"externalSystems":1,"boundaries":2,"entryPoints":1} },
  'n8n/splx-ai__agentic-radar__multi-agent-database-system.json': { own: {"agents":3,"models":1,"tools":5,"memories":1,"channels":3,"humans":1,"externalSystems":1,"boundaries":2,"entryPoints":1} },
  'n8n/splx-ai__agentic-radar__personal-assistant-mcp.json': { own: {"agents":1,"models":1,"tools":9,"mcpServers":2,"memories":1,"channels":3,"humans":1,"externalSystems":4,"boundaries":2,"entryPoints":2} },
  'otm/OWASP__threat-dragon__example-open-threat-model.json': { own: {"memories":1,"channels":2,"humans":1,"externalSystems":2,"boundaries":2,"assets":2} },
  'otm/OWASP__threat-dragon__mobile-cloud.otm.json': { own: {"memories":2,"channels":6,"humans":1,"externalSystems":1,"boundaries":2} },
  'otm/iriusrisk__OpenThreatModel__EXAMPLE.json': { own: {"memories":1,"channels":2,"humans":1,"externalSystems":2,"boundaries":2,"assets":2} },
  'otm/iriusrisk__OpenThreatModel__EXAMPLE.yaml': { own: 'E_IMPORT_SYNTAX' },
  'otm/iriusrisk__startleft__cft_example.otm.yaml': { own: {"channels":22,"humans":2,"externalSystems":17,"boundaries":2,"deployments":3} },
  'otm/iriusrisk__startleft__lucid_example.otm.yaml': { own: {"memories":3,"channels":8,"humans":2,"externalSystems":5,"boundaries":3} },
  'otm/iriusrisk__startleft__manual_threat_model.otm.yaml': { own: {"memories":1,"channels":2,"humans":1,"externalSystems":1,"boundaries":3} },
  'otm/iriusrisk__startleft__minimal_content.otm.yaml': { own: {} },
  'otm/iriusrisk__startleft__mtmt_example.otm.yaml': { own: {"memories":2,"channels":6,"humans":1,"externalSystems":1,"boundaries":3} },
  'otm/iriusrisk__startleft__otm_file_example.otm': { own: {"channels":22,"humans":2,"externalSystems":17,"boundaries":2,"deployments":3} },
  'otm/iriusrisk__startleft__otm_file_example_yaml.otm': { own: {"channels":22,"humans":2,"externalSystems":17,"boundaries":2,"deployments":3} },
  'otm/iriusrisk__startleft__otm_without_version.otm': { own: 'E_IMPORT_NOT_OTM', auto: 'E_IMPORT_UNKNOWN_FORMAT' },
  'otm/iriusrisk__startleft__tf_example.otm.yaml': { own: {"memories":1,"channels":22,"humans":4,"externalSystems":17,"boundaries":2,"deployments":7} },
  'otm/iriusrisk__startleft__visio_example.otm.yaml': { own: {"memories":1,"channels":4,"externalSystems":4,"boundaries":4} },
  'threat-dragon/OWASP__threat-dragon__demo-cryptocurrency-wallet.json': { own: {"agents":1,"memories":2,"channels":17,"humans":2,"externalSystems":10,"boundaries":2} },
  'threat-dragon/OWASP__threat-dragon__demo-generic-cms.json': { own: {"memories":1,"channels":5,"humans":2,"externalSystems":2,"boundaries":1} },
  'threat-dragon/OWASP__threat-dragon__demo-iot-device.json': { own: {"memories":1,"channels":14,"humans":1,"externalSystems":9,"boundaries":1} },
  'threat-dragon/OWASP__threat-dragon__demo-online-game.json': { own: {"memories":2,"channels":17,"humans":2,"externalSystems":8,"boundaries":3} },
  'threat-dragon/OWASP__threat-dragon__demo-payment-online.json': { own: {"channels":10,"humans":1,"externalSystems":4,"boundaries":3} },
  'threat-dragon/OWASP__threat-dragon__demo-renting-car.json': { own: {"agents":1,"memories":2,"channels":15,"humans":3,"externalSystems":9,"boundaries":3} },
  'threat-dragon/OWASP__threat-dragon__demo-three-tier-web-app.json': { own: {"channels":3,"externalSystems":3,"boundaries":2} },
  'threat-dragon/OWASP__threat-dragon__demo-v2-new-model.json': { own: {} },
  'threat-dragon/OWASP__threat-dragon__demo-v2-threat-model.json': { own: {"memories":4,"channels":9,"humans":1,"externalSystems":2,"boundaries":3} },
  'threat-dragon/OWASP__threat-dragon__malformed-v1-new-model.json': { own: 'E_IMPORT_NOT_THREAT_DRAGON', auto: 'E_IMPORT_UNKNOWN_FORMAT' },
  'threat-dragon/OWASP__threat-dragon__malformed-v2-new-model.json': { own: 'E_IMPORT_NOT_THREAT_DRAGON', auto: 'E_IMPORT_UNKNOWN_FORMAT' },
  'threat-dragon/OWASP__threat-dragon__test-reports-v2.1.3.json': { own: {"memories":6,"channels":4,"humans":12,"externalSystems":6,"boundaries":4} },
  'threat-dragon/OWASP__threat-dragon__v1-demo-threat-model.json': { own: {"memories":4,"channels":10,"humans":1,"externalSystems":2,"boundaries":4} },
  'threat-dragon/OWASP__threat-dragon__v1-new-model.json': { own: {} },
  'threat-dragon/OWASP__threat-dragon__v2-threat-model-2.0.json': { own: {"memories":4,"channels":10,"humans":1,"externalSystems":2,"boundaries":3} },
};

/** CrewAI projects imported whole (every YAML file of the project folder at once). */
const CREWAI_PROJECTS: Record<string, Outcome> = {
  'Repello-AI__Agent-Wiz__echo_synth': {"agents":6,"models":1,"channels":4,"entryPoints":2},
  'crewAIInc__crewAI-examples__game-builder-crew': {"agents":3,"models":1},
  'crewAIInc__crewAI-examples__job-posting': {"agents":3,"models":1},
  'crewAIInc__crewAI-examples__landing_page_generator': {"agents":4,"models":1},
  'crewAIInc__crewAI-examples__lead_score_flow-lead_score_crew': {"agents":1,"models":1,"entryPoints":1},
  'crewAIInc__crewAI-examples__markdown_validator': {"agents":1,"models":1},
  'crewAIInc__crewAI-examples__marketing_strategy': {"agents":4,"models":1},
  'crewAIInc__crewAI-examples__match_profile_to_positions': {"agents":3,"models":1},
  'crewAIInc__crewAI-examples__meta_quest_knowledge': {"agents":1,"models":1,"entryPoints":1},
  'crewAIInc__crewAI-examples__recruitment': {"agents":4,"models":1},
  'crewAIInc__crewAI-examples__screenplay_writer': {"agents":5,"models":1},
  'crewAIInc__crewAI-examples__stock_analysis': {"agents":3,"models":1},
  'crewAIInc__crewAI-examples__surprise_trip': {"agents":3,"models":1},
  'crewAIInc__crewAI-examples__write_a_book-write_book_chapter_crew': {"agents":2,"models":1,"channels":1,"entryPoints":2},
};

/** The generic answer of `auto`; never acceptable from the importer a file's folder names. */
const GENERIC = /no importer recognises this file/;

function corpusFiles(): string[] {
  const out: string[] = [];
  const stack = [''];
  while (stack.length > 0) {
    const rel = stack.pop() ?? '';
    for (const name of readdirSync(CORPUS + rel).sort()) {
      const path = `${rel}${name}`;
      if (statSync(CORPUS + path).isDirectory()) stack.push(`${path}/`);
      else if (name !== 'SOURCES.md' && name !== 'README.md') out.push(path);
    }
  }
  return out.sort();
}

function check(r: ImportResult, expected: Outcome, file: string): void {
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (typeof expected === 'string') {
    expect(r.model, `${file} should be refused`).toBeUndefined();
    const refusal = errors.find((d) => d.code === expected);
    expect(refusal, `${file}: expected a ${expected} refusal, got ${errors.map((d) => d.code).join(', ')}`).toBeDefined();
    // A refusal says why, in words, and names the file when it is about one file (CrewAI's "no agent in
    // these files" is about the whole set given, and names none).
    expect(refusal?.message.length ?? 0).toBeGreaterThan(15);
    if (refusal?.file !== undefined) expect(refusal.file).toBe(file);
    return;
  }
  expect(errors, `${file} should import without errors`).toEqual([]);
  expect(r.model, `${file} should give a model`).toBeDefined();
  expect(validateData(r.model).filter((d) => d.severity === 'error')).toEqual([]);
  expect(sectionCounts(r.model)).toEqual(expected);
  expect(r.files.every((f) => f.status === 'imported')).toBe(true);
}

describe('the corpus folder', () => {
  it.skipIf(!REQUIRED)('is present where MAESTRO_CORPUS says', () => {
    expect(existsSync(CORPUS), `the third-party corpus is missing at ${CORPUS}: it lives outside the repository (../shared/corpus). Point MAESTRO_CORPUS at a copy, or set MAESTRO_CORPUS=skip to skip these tests`).toBe(true);
  });
});

describe.skipIf(SKIP || !existsSync(CORPUS))('every corpus file imports or is refused with a reason (issue 6, acceptance 1)', () => {
  const files = existsSync(CORPUS) ? corpusFiles() : [];
  beforeAll(async () => {
    await prepareImporters('auto');
  });

  it('the table has a row for every corpus file and a file for every row', () => {
    expect(files.length).toBeGreaterThanOrEqual(130);
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s', (file) => {
    const row = EXPECTED[file];
    expect(row, `${file} has no row in EXPECTED`).toBeDefined();
    if (!row) return;
    const folder = file.split('/')[0] ?? '';
    const format = FOLDER_FORMAT[folder];
    expect(format, `folder ${folder} has no importer in FOLDER_FORMAT`).toBeDefined();
    const text = readFileSync(CORPUS + file, 'utf8');
    const own = runImport(format ?? 'auto', [{ path: file, text }]);
    check(own, row.own, file);
    // The importer the folder names never answers with the generic "unknown format".
    expect(own.diagnostics.some((d) => GENERIC.test(d.message))).toBe(false);
    const auto = runImport('auto', [{ path: file, text }]);
    check(auto, row.auto ?? row.own, file);
    // When auto cannot claim a file, it passes on the reason of the format the file most resembles.
    if (row.auto === 'E_IMPORT_UNKNOWN_FORMAT') expect(auto.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'E_IMPORT_UNKNOWN_FORMAT').length, `${file}: auto gives no specific reason`).toBeGreaterThan(0);
  });

  it('every folder has files that import', () => {
    for (const folder of Object.keys(FOLDER_FORMAT)) {
      expect(Object.entries(EXPECTED).some(([f, r]) => f.startsWith(`${folder}/`) && typeof r.own !== 'string'), folder).toBe(true);
    }
  });

  it.each(Object.keys(CREWAI_PROJECTS))('CrewAI project %s imports whole', (project) => {
    const inputs = files.filter((f) => f.startsWith(`crewai/${project}/`)).map((f) => ({ path: f, text: readFileSync(CORPUS + f, 'utf8') }));
    expect(inputs.length).toBeGreaterThanOrEqual(2);
    check(runImport('crewai', inputs), CREWAI_PROJECTS[project] ?? 'missing', `crewai/${project}`);
  });
});
