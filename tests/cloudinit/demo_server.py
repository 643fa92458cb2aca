#!/usr/bin/env python3
"""Tiny static NoCloud seed server -- only to prove seed_client.py, not our product.

    python3 tests/cloudinit/demo_server.py [--port 0] [--variant valid|invalid|bad-metadata|missing-include]

Binds 127.0.0.1 only, prints `PORT=<n>` on stdout once listening, and serves the same
files at the root and under /cloud-init/ (like the real service, spec §1):
  meta-data    the spec §5.1 example
  user-data    exactly `#cloud-config` (spec §5.2)
  vendor-data  `#include` of http://127.0.0.1:PORT/compute.yaml and .../slurm.yaml (§5.3)
  compute.yaml the spec §4.1 example group (a `## template: jinja` cloud-config)
  slurm.yaml   a plain #cloud-config
Variants: invalid -> slurm.yaml has `runcmd: 5` (schema error); bad-metadata -> meta-data
is not YAML; missing-include -> vendor-data also includes a 404 URL.
Every request line plus X-Forwarded-For / User-Agent is logged to stderr.
Stops on SIGTERM/SIGINT or after --lifetime seconds (default 300).
"""

import argparse
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

META_DATA = """instance-id: i-1a2b3c4d
local-hostname: nid001
hostname: nid001
cluster-name: demo
instance_data:
  v1:
    instance_id: i-1a2b3c4d
    local_ipv4: 172.16.0.1
    public_keys:
    - ssh-ed25519 AAAA... root@head
    vendor_data:
      version: "1.0"
      cloud_init_base_url: http://172.16.0.254:8081/cloud-init
      cluster_name: demo
      groups:
        compute:
          Description: compute group cloud-config template
          syslog_aggregator: 172.16.0.254
"""

COMPUTE = """## template: jinja
#cloud-config
merge_how:
- name: list
  settings: [append]
- name: dict
  settings: [no_replace, recurse_list]
users:
  - name: root
    ssh_authorized_keys: {{ ds.meta_data.instance_data.v1.public_keys }}
write_files:
  - path: /etc/rsyslog.d/aggregator.conf
    content: "*.* @{{ ds.meta_data.instance_data.v1.vendor_data.groups["compute"].syslog_aggregator }}\\n"
"""

SLURM_VALID = """#cloud-config
merge_how:
- name: list
  settings: [append]
- name: dict
  settings: [no_replace, recurse_list]
packages:
  - slurmd
runcmd:
  - [systemctl, enable, --now, slurmd]
"""

SLURM_INVALID = """#cloud-config
runcmd: 5
"""


def build_files(port, variant):
    base = "http://127.0.0.1:%d" % port
    includes = ["%s/compute.yaml" % base, "%s/slurm.yaml" % base]
    if variant == "missing-include":
        includes.append("%s/missing.yaml" % base)
    return {
        "meta-data": ("application/x-yaml",
                      "instance-id: [unclosed\n" if variant == "bad-metadata" else META_DATA),
        "user-data": ("text/plain; charset=utf-8", "#cloud-config"),
        "vendor-data": ("text/plain; charset=utf-8",
                        "#include\n" + "".join(u + "\n" for u in includes)),
        "compute.yaml": ("text/plain; charset=utf-8", COMPUTE),
        "slurm.yaml": ("text/plain; charset=utf-8",
                       SLURM_INVALID if variant == "invalid" else SLURM_VALID),
    }


class Handler(BaseHTTPRequestHandler):
    files = {}

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path.startswith("/cloud-init/"):
            path = path[len("/cloud-init"):]
        name = path.strip("/")
        sys.stderr.write("GET %s xff=%r ua=%r\n" % (
            self.path, self.headers.get("X-Forwarded-For"), self.headers.get("User-Agent")))
        if name not in self.files:
            body = b"404 page not found\n"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
        else:
            ctype, text = self.files[name]
            body = text.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):  # request lines are logged in do_GET
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--variant", default="valid",
                    choices=("valid", "invalid", "bad-metadata", "missing-include"))
    ap.add_argument("--lifetime", type=int, default=300)
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.daemon_threads = True
    port = srv.server_address[1]
    Handler.files = build_files(port, args.variant)
    signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=srv.shutdown).start())
    threading.Timer(args.lifetime, srv.shutdown).start()
    print("PORT=%d" % port, flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    srv.server_close()
    os._exit(0)


if __name__ == "__main__":
    main()
