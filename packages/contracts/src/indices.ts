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
  zeekFiles: string;
  zeekNotice: string;
  zeekX509: string;
  zeekDhcp: string;
  zeekNtp: string;
  /** Every other Zeek log path (`zeek-<path>-YYYY.MM.DD`): one catch-all template, strings as keywords. */
  zeekOther: string;
  anomalies: string;
  forecasts: string;
  logReviews: string;
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
  zeekFiles: 'zeek-files',
  zeekNotice: 'zeek-notice',
  zeekX509: 'zeek-x509',
  zeekDhcp: 'zeek-dhcp',
  zeekNtp: 'zeek-ntp',
  zeekOther: 'zeek',
  anomalies: 'anomalies',
  forecasts: 'forecasts',
  logReviews: 'log-reviews',
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

/** Zeek `time` fields besides ts: epoch seconds in Zeek's default JSON and TSV, ISO 8601 with the JSON option. */
const zeekTime: MappingProperty = { type: 'date', format: 'strict_date_optional_time||epoch_second' };

const ZEEK_FILES_FIELDS: Record<string, MappingProperty> = {
  fuid: keyword,
  // Zeek < 5.1 names the connections and hosts instead of one uid/id
  tx_hosts: ip,
  rx_hosts: ip,
  conn_uids: keyword,
  source: keyword,
  depth: long,
  analyzers: keyword,
  mime_type: keyword,
  filename: longKeyword,
  duration: double,
  local_orig: bool,
  is_orig: bool,
  seen_bytes: long,
  total_bytes: long,
  missing_bytes: long,
  overflow_bytes: long,
  timedout: bool,
  parent_fuid: keyword,
  md5: keyword,
  sha1: keyword,
  sha256: keyword,
  extracted: longKeyword,
  extracted_cutoff: bool,
  extracted_size: long,
};

const ZEEK_NOTICE_FIELDS: Record<string, MappingProperty> = {
  fuid: keyword,
  file_mime_type: keyword,
  file_desc: longKeyword,
  proto: keyword,
  note: keyword,
  msg: longKeyword,
  sub: longKeyword,
  src: ip,
  dst: ip,
  p: long,
  n: long,
  peer_descr: keyword,
  actions: keyword,
  email_dest: keyword,
  suppress_for: double,
  dropped: bool,
  'remote_location.country_code': keyword,
  'remote_location.region': keyword,
  'remote_location.city': keyword,
  'remote_location.latitude': double,
  'remote_location.longitude': double,
};

const ZEEK_X509_FIELDS: Record<string, MappingProperty> = {
  // Zeek ≥ 5 keys a certificate by its fingerprint; older versions by `id` (the file's fuid)
  fingerprint: keyword,
  id: keyword,
  'certificate.version': long,
  'certificate.serial': keyword,
  'certificate.subject': longKeyword,
  'certificate.issuer': longKeyword,
  'certificate.not_valid_before': zeekTime,
  'certificate.not_valid_after': zeekTime,
  'certificate.key_alg': keyword,
  'certificate.sig_alg': keyword,
  'certificate.key_type': keyword,
  'certificate.key_length': long,
  'certificate.exponent': keyword,
  'certificate.curve': keyword,
  'san.dns': longKeyword,
  'san.uri': longKeyword,
  'san.email': longKeyword,
  'san.ip': ip,
  'basic_constraints.ca': bool,
  'basic_constraints.path_len': long,
  host_cert: bool,
  client_cert: bool,
};

const ZEEK_DHCP_FIELDS: Record<string, MappingProperty> = {
  uids: keyword,
  client_addr: ip,
  server_addr: ip,
  mac: keyword,
  host_name: longKeyword,
  client_fqdn: longKeyword,
  domain: longKeyword,
  requested_addr: ip,
  assigned_addr: ip,
  lease_time: double,
  client_message: longKeyword,
  server_message: longKeyword,
  msg_types: keyword,
  duration: double,
  client_software: longKeyword,
  server_software: longKeyword,
};

const ZEEK_NTP_FIELDS: Record<string, MappingProperty> = {
  version: long,
  mode: long,
  stratum: long,
  poll: double,
  precision: double,
  root_delay: double,
  root_disp: double,
  ref_id: keyword,
  ref_time: zeekTime,
  org_time: zeekTime,
  rec_time: zeekTime,
  xmt_time: zeekTime,
  num_exts: long,
};

/** An Elasticsearch dynamic template, structurally: fields of a JSON type get this mapping. */
export interface DynamicTemplate {
  match_mapping_type: 'string' | 'long' | 'double' | 'boolean' | 'object';
  mapping: MappingProperty;
}

export interface FamilySpec {
  description: string;
  /**
   * false: unmapped fields stay in _source, unindexed — for records from outside (Logstash, Zeek scripts) that may
   * carry extra fields, without a mapping explosion. 'strict': documents we produce ourselves, where an unknown
   * field is a bug that should fail loudly (into the dead-letter file) rather than be silently unsearchable.
   */
  dynamic: boolean | 'strict';
  properties: Record<string, MappingProperty>;
  /** Mapping rules for fields the properties do not name (the catch-all family's keyword default). */
  dynamicTemplates?: Record<string, DynamicTemplate>[];
  /** A catch-all: `<prefix>-*-2*` at CATCH_ALL_PRIORITY, below every family of its own (index-templates.ts). */
  catchAll?: boolean;
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
  zeekFiles: { description: 'Zeek files.log', dynamic: false, properties: { ...ZEEK_COMMON_FIELDS, ...ZEEK_FILES_FIELDS } },
  zeekNotice: { description: 'Zeek notice.log', dynamic: false, properties: { ...ZEEK_COMMON_FIELDS, ...ZEEK_NOTICE_FIELDS } },
  // x509.log has no connection (no uid, no id.*): its own `id` (Zeek < 5) would collide with the id.* object.
  zeekX509: { description: 'Zeek x509.log', dynamic: false, properties: { '@timestamp': date, ts: ZEEK_COMMON_FIELDS.ts!, _path: keyword, ...ZEEK_X509_FIELDS } },
  zeekDhcp: { description: 'Zeek dhcp.log', dynamic: false, properties: { ...ZEEK_COMMON_FIELDS, ...ZEEK_DHCP_FIELDS } },
  zeekNtp: { description: 'Zeek ntp.log', dynamic: false, properties: { ...ZEEK_COMMON_FIELDS, ...ZEEK_NTP_FIELDS } },
  zeekOther: {
    description: 'every other Zeek log (known_hosts, software, capture_loss, ssh, …): the common fields, the rest as keywords',
    // Mapped on first sight, but never as text or guessed dates: a string is a keyword (longer than 1,024
    // characters: kept in _source, not indexed), a number stays a number. A path that earns its own mapping
    // gets a family of its own above.
    dynamic: true,
    properties: ZEEK_COMMON_FIELDS,
    dynamicTemplates: [{ zeek_strings_as_keywords: { match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: 1024 } } }],
    catchAll: true,
  },
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
  logReviews: {
    description: 'labels people gave classified lines (log-classifier review serve), one document per line',
    dynamic: 'strict',
    properties: {
      // When the label was given; the index is the line's own day, so a relabel lands on the same document.
      '@timestamp': date,
      line_index: keyword,
      line_id: keyword,
      line_timestamp: date,
      label: keyword,
      reviewer: keyword,
      // queue (a line the model flagged) | spot-check (the weekly random sample, labeled blind to the verdict)
      mode: keyword,
      // The ISO week (2026-W49) of the spot check the line was drawn for; absent in queue mode.
      sample_week: keyword,
      // What the person saw and what the model said then, so the review stands alone (export, agreement).
      message: { type: 'text' },
      host: keyword,
      source: keyword,
      severity: keyword,
      ml_category: keyword,
      ml_confidence: float,
      ml_model_version: keyword,
      ml_rule: keyword,
      agrees: bool,
    },
  },
};
