# Zeek site policy for the net-sensor (/opt/zeek/share/zeek/site/local.zeek), run by zeekctl on the mirror NIC
# (node.cfg). Writes conn, dns, http, ssl, weird, files, notice, x509, … as JSON lines, which both readers take:
# services/zeek-ingest (packages/zeek reads TSV or JSON) and Filebeat's zeek module (JSON only).

# The protocol analysers and logs of Zeek's default site policy.
@load base/frameworks/software
@load base/protocols/conn
@load base/protocols/dns
@load base/protocols/http
@load base/protocols/ssl
@load base/protocols/dhcp
@load base/protocols/ntp
@load base/files/x509
@load policy/protocols/conn/known-hosts
@load policy/protocols/conn/known-services
@load policy/protocols/ssl/validate-certs
@load policy/protocols/ssl/log-hostcerts-only
@load policy/protocols/ssh/detect-bruteforcing
@load policy/misc/scan
@load policy/misc/capture-loss
@load policy/misc/stats
@load policy/frameworks/notice/community-id
@load policy/protocols/conn/community-id-logging
# conn.log's local_orig / local_resp come from Site::local_nets below; the anomaly features use them
@load policy/protocols/conn/mac-logging

# JSON lines, `ts` as epoch seconds (the default): one object per line, `_path` is added by zeek-ingest from
# the file name, as Filebeat's module does.
@load policy/tuning/json-logs

redef Site::local_nets += {
	# The homelab's own networks (networks.cfg holds the same for zeekctl); adjust per site.
	10.0.0.0/8,
	172.16.0.0/12,
	192.168.0.0/16,
};

# Checksums are often wrong on a mirror port (offloading on the sending host): analyse the packets anyway.
redef ignore_checksums = T;
