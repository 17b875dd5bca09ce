/**
 * What the importers know about well-known classes and functions of agent frameworks, as data:
 * prebuilt tools and what they do, chat-model classes and their providers, checkpointers and
 * stores. Unknown tools get side effects inferred from their names and descriptions (`inferEffects`),
 * which the description of each imported tool says.
 */
import type { SideEffectName, ToolSpec } from '../../model/schema.js';

export type ToolType = NonNullable<ToolSpec['type']>;

export interface KnownTool {
  readonly type: ToolType;
  readonly effects: readonly SideEffectName[];
  /** One line on what it does. */
  readonly what: string;
}

const web = (what: string): KnownTool => ({ type: 'search', effects: ['read', 'network-egress'], what });
const scrape = (what: string): KnownTool => ({ type: 'browser', effects: ['read', 'network-egress'], what });
const rag = (what: string): KnownTool => ({ type: 'search', effects: ['read'], what });
const fileRead = (what: string): KnownTool => ({ type: 'filesystem', effects: ['read'], what });
const code = (what: string): KnownTool => ({ type: 'code-interpreter', effects: ['execute-code'], what });

/** Prebuilt tool classes (CrewAI tools, LangChain community tools, OpenAI Agents SDK hosted tools). */
export const KNOWN_TOOLS: Readonly<Record<string, KnownTool>> = {
  // crewai_tools
  SerperDevTool: web('Google search through the Serper API'),
  SerplyWebSearchTool: web('web search through the Serply API'),
  SerplyNewsSearchTool: web('news search through the Serply API'),
  SerplyScholarSearchTool: web('scholar search through the Serply API'),
  SerplyJobSearchTool: web('job search through the Serply API'),
  EXASearchTool: web('web search through the Exa API'),
  BraveSearchTool: web('web search through the Brave API'),
  TavilySearchTool: web('web search through the Tavily API'),
  LinkupSearchTool: web('web search through the Linkup API'),
  WebsiteSearchTool: web('semantic search over web pages it fetches'),
  YoutubeVideoSearchTool: web('search in YouTube video transcripts'),
  YoutubeChannelSearchTool: web('search in a YouTube channel'),
  GithubSearchTool: web('search in GitHub repositories (needs a GitHub token)'),
  CodeDocsSearchTool: web('search in online code documentation'),
  ScrapeWebsiteTool: scrape('fetches and reads any web page it is given'),
  ScrapeElementFromWebsiteTool: scrape('fetches web pages and extracts elements'),
  SeleniumScrapingTool: scrape('drives a browser (Selenium) to read web pages'),
  FirecrawlScrapeWebsiteTool: scrape('fetches web pages through Firecrawl'),
  FirecrawlCrawlWebsiteTool: scrape('crawls web sites through Firecrawl'),
  FirecrawlSearchTool: web('web search through Firecrawl'),
  SpiderTool: scrape('crawls web sites through Spider'),
  BrowserbaseLoadTool: scrape('loads web pages in a hosted browser (Browserbase)'),
  ScrapflyScrapeWebsiteTool: scrape('fetches web pages through Scrapfly'),
  HyperbrowserLoadTool: scrape('loads web pages in a hosted browser (Hyperbrowser)'),
  StagehandTool: { type: 'browser', effects: ['read', 'write', 'network-egress'], what: 'drives a browser that can fill forms and click (Stagehand)' },
  FileReadTool: fileRead('reads any file path it is given'),
  DirectoryReadTool: fileRead('lists the files in a directory'),
  DirectorySearchTool: fileRead('semantic search over files in a directory'),
  FileWriterTool: { type: 'filesystem', effects: ['write'], what: 'writes files' },
  FileCompressorTool: { type: 'filesystem', effects: ['read', 'write'], what: 'reads and writes archives' },
  PDFSearchTool: rag('semantic search in PDF files'),
  DOCXSearchTool: rag('semantic search in Word documents'),
  CSVSearchTool: rag('semantic search in CSV files'),
  JSONSearchTool: rag('semantic search in JSON files'),
  MDXSearchTool: rag('semantic search in MDX files'),
  TXTSearchTool: rag('semantic search in text files'),
  XMLSearchTool: rag('semantic search in XML files'),
  RagTool: rag('retrieval over a knowledge base'),
  CodeInterpreterTool: code('runs Python code the model writes'),
  NL2SQLTool: { type: 'database', effects: ['read', 'write'], what: 'turns text into SQL and runs it on a database' },
  PGSearchTool: { type: 'database', effects: ['read'], what: 'semantic search in a PostgreSQL table' },
  MySQLSearchTool: { type: 'database', effects: ['read'], what: 'semantic search in a MySQL table' },
  SnowflakeSearchTool: { type: 'database', effects: ['read'], what: 'queries Snowflake' },
  DallETool: { type: 'api', effects: ['network-egress'], what: 'generates images through the DALL-E API' },
  VisionTool: { type: 'api', effects: ['read', 'network-egress'], what: 'sends images to a vision model' },
  ComposioTool: { type: 'api', effects: ['read', 'write', 'send-message', 'network-egress'], what: 'acts in third-party apps through Composio' },
  ApifyActorsTool: { type: 'api', effects: ['read', 'network-egress'], what: 'runs Apify actors (scrapers) in the cloud' },
  ZapierActionTool: { type: 'api', effects: ['write', 'send-message', 'network-egress'], what: 'runs Zapier actions in third-party apps' },
  // LangChain community and partner tools
  TavilySearchResults: web('web search through the Tavily API'),
  TavilySearch: web('web search through the Tavily API'),
  TavilyExtract: scrape('fetches web pages through Tavily'),
  DuckDuckGoSearchRun: web('web search through DuckDuckGo'),
  DuckDuckGoSearchResults: web('web search through DuckDuckGo'),
  GoogleSearchRun: web('Google search'),
  BraveSearch: web('web search through the Brave API'),
  WikipediaQueryRun: web('reads Wikipedia articles'),
  ArxivQueryRun: web('searches arXiv'),
  YouTubeSearchTool: web('searches YouTube'),
  RequestsGetTool: scrape('sends HTTP GET requests to any URL'),
  RequestsPostTool: { type: 'api', effects: ['write', 'network-egress'], what: 'sends HTTP POST requests to any URL' },
  PythonREPLTool: code('runs Python code the model writes'),
  PythonAstREPLTool: code('runs Python code the model writes'),
  PythonREPL: code('runs Python code the model writes'),
  ShellTool: { type: 'shell', effects: ['execute-code', 'write', 'delete', 'network-egress'], what: 'runs shell commands the model writes' },
  ReadFileTool: fileRead('reads files'),
  WriteFileTool: { type: 'filesystem', effects: ['write'], what: 'writes files' },
  ListDirectoryTool: fileRead('lists directories'),
  DeleteFileTool: { type: 'filesystem', effects: ['delete'], what: 'deletes files' },
  MoveFileTool: { type: 'filesystem', effects: ['write', 'delete'], what: 'moves files' },
  CopyFileTool: { type: 'filesystem', effects: ['write'], what: 'copies files' },
  FileSearchTool: rag('searches files or vector stores'),
  QuerySQLDataBaseTool: { type: 'database', effects: ['read', 'write'], what: 'runs SQL the model writes' },
  QuerySQLDatabaseTool: { type: 'database', effects: ['read', 'write'], what: 'runs SQL the model writes' },
  InfoSQLDatabaseTool: { type: 'database', effects: ['read'], what: 'reads a database schema' },
  GmailSendMessage: { type: 'email', effects: ['send-message', 'network-egress'], what: 'sends e-mail from a Gmail account' },
  GmailSearch: { type: 'email', effects: ['read', 'network-egress'], what: 'reads a Gmail mailbox' },
  SlackSendMessage: { type: 'api', effects: ['send-message', 'network-egress'], what: 'posts Slack messages' },
  // OpenAI Agents SDK hosted and local tools
  WebSearchTool: web('web search run by OpenAI (hosted tool)'),
  ComputerTool: { type: 'browser', effects: ['read', 'write', 'execute-code', 'network-egress'], what: 'operates a computer or browser: clicks, types, runs what the screen offers' },
  ImageGenerationTool: { type: 'api', effects: ['network-egress'], what: 'generates images (hosted tool)' },
  LocalShellTool: { type: 'shell', effects: ['execute-code', 'write', 'delete', 'network-egress'], what: 'runs shell commands on the local machine' },
  ApplyPatchTool: { type: 'filesystem', effects: ['write'], what: 'edits files by applying patches' },
};

/** Toolkits (one object, several tools). */
export const KNOWN_TOOLKITS: Readonly<Record<string, KnownTool>> = {
  FileManagementToolkit: { type: 'filesystem', effects: ['read', 'write', 'delete'], what: 'reads, writes, moves and deletes files under a root directory' },
  SQLDatabaseToolkit: { type: 'database', effects: ['read', 'write'], what: 'inspects a database and runs SQL the model writes' },
  GmailToolkit: { type: 'email', effects: ['read', 'send-message', 'network-egress'], what: 'reads and sends e-mail from a Gmail account' },
  SlackToolkit: { type: 'api', effects: ['read', 'send-message', 'network-egress'], what: 'reads and posts Slack messages' },
  GitHubToolkit: { type: 'api', effects: ['read', 'write', 'network-egress'], what: 'reads and changes GitHub repositories' },
  PlayWrightBrowserToolkit: { type: 'browser', effects: ['read', 'write', 'network-egress'], what: 'drives a browser: navigates, clicks, fills forms' },
  RequestsToolkit: { type: 'api', effects: ['read', 'write', 'delete', 'network-egress'], what: 'sends any HTTP request' },
};

export interface KnownModel {
  readonly provider: string;
  readonly hosting: 'hosted-api' | 'self-hosted';
}

/** Chat-model classes and the provider each one calls. */
export const MODEL_CLASSES: Readonly<Record<string, KnownModel>> = {
  ChatOpenAI: { provider: 'openai', hosting: 'hosted-api' },
  OpenAI: { provider: 'openai', hosting: 'hosted-api' },
  AzureChatOpenAI: { provider: 'azure-openai', hosting: 'hosted-api' },
  ChatAnthropic: { provider: 'anthropic', hosting: 'hosted-api' },
  ChatGoogleGenerativeAI: { provider: 'google', hosting: 'hosted-api' },
  ChatVertexAI: { provider: 'google', hosting: 'hosted-api' },
  ChatBedrock: { provider: 'aws-bedrock', hosting: 'hosted-api' },
  ChatBedrockConverse: { provider: 'aws-bedrock', hosting: 'hosted-api' },
  ChatMistralAI: { provider: 'mistral', hosting: 'hosted-api' },
  ChatGroq: { provider: 'groq', hosting: 'hosted-api' },
  ChatCohere: { provider: 'cohere', hosting: 'hosted-api' },
  ChatFireworks: { provider: 'fireworks', hosting: 'hosted-api' },
  ChatTogether: { provider: 'together', hosting: 'hosted-api' },
  ChatDeepSeek: { provider: 'deepseek', hosting: 'hosted-api' },
  ChatXAI: { provider: 'xai', hosting: 'hosted-api' },
  ChatOllama: { provider: 'ollama', hosting: 'self-hosted' },
  Ollama: { provider: 'ollama', hosting: 'self-hosted' },
  ChatHuggingFace: { provider: 'huggingface', hosting: 'hosted-api' },
  ChatLiteLLM: { provider: 'litellm', hosting: 'hosted-api' },
  // CrewAI and the OpenAI Agents SDK
  LLM: { provider: 'litellm', hosting: 'hosted-api' },
  OpenAIChatCompletionsModel: { provider: 'openai', hosting: 'hosted-api' },
  OpenAIResponsesModel: { provider: 'openai', hosting: 'hosted-api' },
  LitellmModel: { provider: 'litellm', hosting: 'hosted-api' },
};

/** The provider a model name points at: "openai/gpt-4o", "anthropic:claude-3", "gpt-4o", "ollama/llama3". */
export function providerOf(model: string): { provider: string; name: string; hosting: 'hosted-api' | 'self-hosted' } {
  const m = /^([a-z0-9_-]+)[/:](.+)$/i.exec(model);
  let provider = m?.[1]?.toLowerCase();
  const name = m?.[2] ?? model;
  if (provider === undefined || provider === 'models') {
    const n = name.toLowerCase();
    provider = /^(gpt|o[1-9]|chatgpt|text-|davinci|codex)/.test(n) ? 'openai' : n.startsWith('claude') ? 'anthropic' : n.startsWith('gemini') ? 'google' : /^(mistral|mixtral|codestral)/.test(n) ? 'mistral' : 'unknown';
  }
  const selfHosted = provider === 'ollama' || provider === 'local' || provider === 'vllm' || provider === 'lm_studio' || provider === 'huggingface_local';
  return { provider, name, hosting: selfHosted ? 'self-hosted' : 'hosted-api' };
}

/** Checkpointers and stores (LangGraph): persistent or not. */
export const CHECKPOINTERS: Readonly<Record<string, { persistent: boolean; what: string }>> = {
  MemorySaver: { persistent: false, what: 'in-process memory (lost when the process ends)' },
  InMemorySaver: { persistent: false, what: 'in-process memory (lost when the process ends)' },
  InMemoryStore: { persistent: false, what: 'in-process store (lost when the process ends)' },
  SqliteSaver: { persistent: true, what: 'a SQLite database' },
  AsyncSqliteSaver: { persistent: true, what: 'a SQLite database' },
  PostgresSaver: { persistent: true, what: 'a PostgreSQL database' },
  AsyncPostgresSaver: { persistent: true, what: 'a PostgreSQL database' },
  PostgresStore: { persistent: true, what: 'a PostgreSQL store' },
  AsyncPostgresStore: { persistent: true, what: 'a PostgreSQL store' },
  RedisSaver: { persistent: true, what: 'Redis' },
  AsyncRedisSaver: { persistent: true, what: 'Redis' },
  MongoDBSaver: { persistent: true, what: 'MongoDB' },
};

const EFFECT_WORDS: readonly [RegExp, SideEffectName][] = [
  [/\b(exec|execute|eval|run_?code|python|repl|shell|bash|terminal|command|subprocess|script)\b/i, 'execute-code'],
  [/\b(delete|remove|drop|purge|destroy|erase|unlink|rm)\b/i, 'delete'],
  [/\b(pay|payment|charge|refund|transfer|invoice|purchase|buy|checkout|stripe)\b/i, 'payment'],
  [/\b(e-?mail|mail|sms|slack|discord|telegram|tweet|post_message|send|notify|message|whatsapp)\b/i, 'send-message'],
  [/\b(write|save|create|update|insert|upload|append|edit|modify|set|put|patch|store|book|schedule|commit)\b/i, 'write'],
  [/\b(search|fetch|scrape|crawl|browse|http|https|url|web|download|request|api|google|bing|tavily|serper|weather|news|lookup)\b/i, 'network-egress'],
  [/\b(password|secret|credential|token|api_?key|vault)\b/i, 'credential-access'],
  [/\b(read|get|list|load|query|find|lookup|retrieve|select|open|show|view|check)\b/i, 'read'],
];

/** Side effects suggested by a tool's name and description (words split on case and "_"). */
export function inferEffects(name: string, description = ''): SideEffectName[] {
  const words = `${name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ')} ${description.slice(0, 2000)}`;
  const out = new Set<SideEffectName>();
  for (const [re, effect] of EFFECT_WORDS) if (re.test(words)) out.add(effect);
  return [...out].sort();
}

/** A tool type matching inferred effects. */
export function typeForEffects(effects: readonly SideEffectName[]): ToolType {
  if (effects.includes('execute-code')) return 'code-interpreter';
  if (effects.includes('payment')) return 'payment';
  return 'function';
}
