/**
 * The Elasticsearch index families (docs/contracts.md): their default name prefixes (daily indices
 * `<prefix>-YYYY.MM.DD`, UTC) and field mappings, as plain data. Core field types only: the minimal distribution
 * has no mapper-extras (`match_only_text`, `search_as_you_type`, …). @aiops/common turns them into index templates.
 */

/** Index name prefixes, one per family; the defaults are the contract. A test run uses its own (`it-<rand>-logs`). */
export interface IndexPrefixes {
  logs: string;
  logsClassified: string;
  zeekConn: string;
  zeekDns: string;
  zeekHttp: string;
  zeekSsl: string;
  zeekWeird: string;
  anomalies: string;
  forecasts: string;
}
export type IndexFamily = keyof IndexPrefixes;

export const DEFAULT_INDEX_PREFIXES: Readonly<IndexPrefixes> = Object.freeze({
  logs: 'logs',
  logsClassified: 'logs-classified',
  zeekConn: 'zeek-conn',
  zeekDns: 'zeek-dns',
  zeekHttp: 'zeek-http',
  zeekSsl: 'zeek-ssl',
  zeekWeird: 'zeek-weird',
  anomalies: 'anomalies',
  forecasts: 'forecasts',
});

/** A field mapping, structurally (a subset of Elasticsearch's MappingProperty; no client dependency here). */
export interface MappingProperty {
  type: 'keyword' | 'text' | 'date' | 'long' | 'double' | 'float' | 'boolean' | 'ip' | 'object';
  ignore_above?: number;
  format?: string;
  enabled?: boolean;
}

const keyword: MappingProperty = { type: 'keyword' };
/** Free text kept as one term (URIs, user agents, DNS names): longer values stay in _source but are not indexed,
 * instead of failing the whole document on Lucene's 32 KB term limit. */
const longKeyword: MappingProperty = { type: 'keyword', ignore_above: 1024 };
const date: MappingProperty = { type: 'date' };
const long: MappingProperty = { type: 'long' };
const double: MappingProperty = { type: 'double' };
const float: MappingProperty = { type: 'float' };
const bool: MappingProperty = { type: 'boolean' };
const ip: MappingProperty = { type: 'ip' };

const RAW_LOG_FIELDS: Record<string, MappingProperty> = {
  '@timestamp': date,
  'host.name': keyword,
  'log.source': keyword,
  severity: keyword,
  service: keyword,
  pid: long,
  message: { type: 'text' },
};

/** Fields every Zeek log shares. Zeek writes `ts` as epoch seconds (TSV, default JSON) or ISO 8601 (JSON option). */
const ZEEK_COMMON_FIELDS: Record<string, MappingProperty> = {
  '@timestamp': date,
  ts: { type: 'date', format: 'strict_date_optional_time||epoch_second' },
  uid: keyword,
  'id.orig_h': ip,
  'id.orig_p': long,
  'id.resp_h': ip,
  'id.resp_p': long,
  /** Zeek's log path (conn, dns, …), as zeek-ingest writes it. */
  _path: keyword,
};

const ZEEK_CONN_FIELDS: Record<string, MappingProperty> = {
  proto: keyword,
  service: keyword,
  duration: double,
  orig_bytes: long,
  resp_bytes: long,
  conn_state: keyword,
  local_orig: bool,
  local_resp: bool,
  missed_bytes: long,
  history: keyword,
  orig_pkts: long,
  orig_ip_bytes: long,
  resp_pkts: long,
  resp_ip_bytes: long,
  tunnel_parents: keyword,
};

const ZEEK_DNS_FIELDS: Record<string, MappingProperty> = {
  proto: keyword,
  trans_id: long,
  rtt: double,
  query: longKeyword,
  qclass: long,
  qclass_name: keyword,
  qtype: long,
  qtype_name: keyword,
  rcode: long,
  rcode_name: keyword,
  AA: bool,
  TC: bool,
  RD: bool,
  RA: bool,
  Z: long,
  answers: longKeyword,
  TTLs: double,
  rejected: bool,
};

const ZEEK_HTTP_FIELDS: Record<string, MappingProperty> = {
  trans_depth: long,
  method: keyword,
  host: longKeyword,
  uri: longKeyword,
  referrer: longKeyword,
  version: keyword,
  user_agent: longKeyword,
  origin: longKeyword,
  request_body_len: long,
  response_body_len: long,
  status_code: long,
  status_msg: longKeyword,
  info_code: long,
  info_msg: longKeyword,
  tags: keyword,
  username: keyword,
  proxied: longKeyword,
  orig_fuids: keyword,
  orig_filenames: longKeyword,
  orig_mime_types: keyword,
  resp_fuids: keyword,
  resp_filenames: longKeyword,
  resp_mime_types: keyword,
};

const ZEEK_SSL_FIELDS: Record<string, MappingProperty> = {
  version: keyword,
  cipher: keyword,
  curve: keyword,
  server_name: longKeyword,
  resumed: bool,
  last_alert: keyword,
  next_protocol: keyword,
  established: bool,
  ssl_history: keyword,
  cert_chain_fps: keyword,
  client_cert_chain_fps: keyword,
  subject: longKeyword,
  issuer: longKeyword,
  client_subject: longKeyword,
  client_issuer: longKeyword,
  sni_matches_cert: bool,
  validation_status: longKeyword,
  ja3: keyword,
  ja3s: keyword,
};

const ZEEK_WEIRD_FIELDS: Record<string, MappingProperty> = {
  name: keyword,
  addl: longKeyword,
  notice: bool,
  peer: keyword,
  source: keyword,
};

export interface FamilySpec {
  description: string;
  /**
   * false: unmapped fields stay in _source, unindexed — for records from outside (Logstash, Zeek scripts) that may
   * carry extra fields, without a mapping explosion. 'strict': documents we produce ourselves, where an unknown
   * field is a bug that should fail loudly (into the dead-letter file) rather than be silently unsearchable.
   */
  dynamic: false | 'strict';
  properties: Record<string, MappingProperty>;
}

export const FAMILIES: Record<IndexFamily, FamilySpec> = {
  logs: { description: 'raw logs from Logstash', dynamic: false, properties: RAW_LOG_FIELDS },
  logsClassified: {
    description: 'raw logs with the classifier verdict',
    // Copies raw records, extras included: same reason as raw logs.
    dynamic: false,
    properties: {
      ...RAW_LOG_FIELDS,
      ml_category: keyword,
      ml_confidence: float,
      ml_model_version: keyword,
      ml_review: bool,
      // The labeling-guide rule that decided the line (`N6`), absent when the model did.
      ml_rule: keyword,
      // The human review loop (log-classifier review export/import): a person's label wins over the model's.
      review_label: keyword,
      reviewed_at: date,
      review_agrees: bool,
    },
  },
  zeekConn: { description: 'Zeek conn.log', dynamic: false, properties: { ...ZEEK_COMMON_FIELDS, ...ZEEK_CONN_FIELDS } },
  zeekDns: { description: 'Zeek dns.log', dynamic: false, properties: { ...ZEEK_COMMON_FIELDS, ...ZEEK_DNS_FIELDS } },
  zeekHttp: { description: 'Zeek http.log', dynamic: false, properties: { ...ZEEK_COMMON_FIELDS, ...ZEEK_HTTP_FIELDS } },
  zeekSsl: { description: 'Zeek ssl.log', dynamic: false, properties: { ...ZEEK_COMMON_FIELDS, ...ZEEK_SSL_FIELDS } },
  zeekWeird: { description: 'Zeek weird.log', dynamic: false, properties: { ...ZEEK_COMMON_FIELDS, ...ZEEK_WEIRD_FIELDS } },
  anomalies: {
    description: 'scored Zeek connections (kind connection) and host alerts (kind host)',
    // The connection's metadata is open-ended (features vary by model): keep extras in _source, unmapped.
    dynamic: false,
    properties: {
      ...ZEEK_COMMON_FIELDS,
      ...ZEEK_CONN_FIELDS,
      // `connection`: one scored connection; `host`: one host × role × window that stood out from its baseline.
      kind: keyword,
      // Host alerts: the host, whether it originated or received the window's connections, the window, how many
      // connections it held, and the uids of those that show the change (a new peer or port, a failure).
      host: keyword,
      host_role: keyword,
      window_start: date,
      window_end: date,
      connections: long,
      connection_uids: keyword,
      anomaly_score: float,
      model_version: keyword,
      // Any shape (per-feature contributions, a sentence): kept in _source, never indexed, never a mapping conflict.
      explanation: { type: 'object', enabled: false },
    },
  },
  forecasts: {
    description: 'forecast curves, one document per series and step',
    dynamic: 'strict',
    properties: {
      '@timestamp': date,
      host: keyword,
      metric: keyword,
      device: keyword,
      target_time: date,
      yhat: double,
      yhat_lower_80: double,
      yhat_upper_80: double,
      yhat_lower_95: double,
      yhat_upper_95: double,
      run_id: keyword,
      model: keyword,
    },
  },
};

